terraform {
  required_providers {
    dbrail = {
      source = "dbrail/dbrail"
    }
  }
}
