terraform {
  required_version = ">= 1.11"

  required_providers {
    dbrail = {
      source  = "dbrail/dbrail"
      version = "~> 0.1"
    }
  }
}

# Credentials come from the standard AWS chain (environment, shared profile, web identity in CI);
# none belongs in configuration. Everything below is optional: with no arguments the region and
# endpoints come from AWS_REGION / AWS_PROFILE / AWS_ENDPOINT_URL.
provider "dbrail" {
  region = "eu-west-1"

  # Deploy into a workload account from a CI role in a tooling account.
  assume_role {
    role_arn     = "arn:aws:iam::111122223333:role/dbrail-deployer"
    session_name = "payments-pipeline"
  }

  default_tags = {
    managed-by  = "dbrail"
    cost-centre = "payments"
  }
}
