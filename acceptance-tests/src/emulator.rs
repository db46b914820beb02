//! One AWS API emulator (moto's server) per test, on 127.0.0.1.
//!
//! Each test starts its own emulator, so tests share no AWS state and can run in parallel.
//! The port is chosen by the kernel inside the emulator process itself (bind to port 0) and
//! reported back on stdout, so there is no window in which another process could take it.
//!
//! The emulator never outlives its test: `Drop` kills it (also while a failing test unwinds),
//! and, should the test process be killed outright, the emulator exits on its own when the
//! stdin pipe the test holds is closed by the kernel. A missing moto is an error that names
//! the install command; the harness never skips a test because a tool is absent.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::{HarnessError, http, knobs, process};

/// The bootstrap run by the Python interpreter; see the file for why it looks the way it does.
/// The boot script; it imports the extensions beside it in `emulator/`.
const BOOTSTRAP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/emulator/boot.py");
const PORT_MARKER: &str = "DBRAIL_EMULATOR_PORT ";
const MISSING_MARKER: &str = "DBRAIL_EMULATOR_MISSING ";
const READINESS_PATH: &str = "/moto-api/";
const RESET_PATH: &str = "/moto-api/reset";
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const LOG_TAIL_LINES: usize = 60;
/// EC2 query-API request for the default VPC's subnets (one per availability zone).
const DESCRIBE_DEFAULT_SUBNETS: &str = "Action=DescribeSubnets&Version=2016-11-15\
    &Filter.1.Name=default-for-az&Filter.1.Value.1=true";

/// A running emulator; killed when dropped.
pub struct Emulator {
    child: Child,
    /// Held open for the emulator's lifetime; its closing tells the emulator to exit.
    stdin: Option<ChildStdin>,
    port: u16,
    log: PathBuf,
    /// Holds the log; removed after the emulator has stopped (fields drop after `drop`).
    _dir: tempfile::TempDir,
}

enum Report {
    Port(u16),
    Missing(String),
    Garbled(String),
}

impl Emulator {
    /// Starts an emulator and waits until it answers HTTP requests. Moto runs under
    /// `DBRAIL_PYTHON`, or `python3` from PATH.
    pub fn start() -> Result<Self, HarnessError> {
        let python = knobs::get(knobs::PYTHON).unwrap_or_else(|| "python3".to_owned());
        Self::start_with_python(&python)
    }

    /// Like [`Emulator::start`], with moto run by the given Python interpreter.
    pub fn start_with_python(python: &str) -> Result<Self, HarnessError> {
        let python = python.to_owned();
        let timeout = knobs::secs(knobs::EMULATOR_START_TIMEOUT_SECS, 60);
        let deadline = Instant::now() + timeout;
        let dir = knobs::temp_dir("dbrail-emulator-")?;
        let log = dir.path().join("emulator.log");
        let log_file = std::fs::File::create(&log)
            .map_err(|e| HarnessError::io(format!("creating {}", log.display()), e))?;

        let mut cmd = Command::new(&python);
        cmd.args(["-u", BOOTSTRAP])
            .env_remove("MOTO_PORT")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .process_group(0);
        let mut child = cmd.spawn().map_err(|e| HarnessError::EmulatorMissing {
            python: python.clone(),
            detail: if e.kind() == std::io::ErrorKind::NotFound {
                "the interpreter was not found on PATH".to_owned()
            } else {
                e.to_string()
            },
        })?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take();
        // From here on, `Drop` cleans up on every error path.
        let mut emulator = Emulator {
            child,
            stdin,
            port: 0,
            log,
            _dir: dir,
        };

        let (tx, rx) = mpsc::channel();
        if let Some(stdout) = stdout {
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    let report = if let Some(port) = line.strip_prefix(PORT_MARKER) {
                        match port.trim().parse() {
                            Ok(port) => Report::Port(port),
                            Err(_) => Report::Garbled(line.clone()),
                        }
                    } else if let Some(detail) = line.strip_prefix(MISSING_MARKER) {
                        Report::Missing(detail.to_owned())
                    } else {
                        continue;
                    };
                    // The receiver may be gone (start gave up); keep draining regardless.
                    let _ = tx.send(report);
                }
            });
        }

        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(Report::Port(port)) => emulator.port = port,
            Ok(Report::Missing(detail)) => {
                return Err(HarnessError::EmulatorMissing { python, detail });
            }
            Ok(Report::Garbled(line)) => {
                return Err(emulator.start_error(format!("unexpected report {line:?}")));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                return Err(emulator.start_error(format!("no port reported within {timeout:?}")));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = emulator.child.wait().ok();
                return Err(emulator.start_error(format!(
                    "`{python}` exited ({status:?}) before reporting its port"
                )));
            }
        }

        emulator.wait_ready(deadline, timeout)?;
        Ok(emulator)
    }

    /// The endpoint URL to give to AWS clients, e.g. `http://127.0.0.1:41234`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The TCP port the emulator listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The socket address the emulator listens on.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }

    /// Forgets all emulated AWS state (moto's `/moto-api/reset`).
    pub fn reset(&self) -> Result<(), HarnessError> {
        let response =
            http::request(self.addr(), "POST", RESET_PATH, REQUEST_TIMEOUT).map_err(|e| {
                HarnessError::EmulatorRequest {
                    request: format!("POST {RESET_PATH}"),
                    detail: e.to_string(),
                }
            })?;
        if response.status != 200 {
            return Err(HarnessError::EmulatorRequest {
                request: format!("POST {RESET_PATH}"),
                detail: format!("HTTP {}: {}", response.status, response.body),
            });
        }
        Ok(())
    }

    /// The emulator's default-VPC subnets as `(subnet id, availability zone)`, sorted by zone
    /// (one per zone, so consecutive entries are in distinct zones), for giving clusters real
    /// subnets in distinct AZs.
    ///
    /// The harness has no EC2 client, so this sends one raw EC2 query-API request
    /// (`DescribeSubnets` filtered on `default-for-az`); moto routes it to EC2 by the
    /// credential scope of the `Authorization` header and does not check signatures. The
    /// request is HTTP/1.0 so the answer is never chunked.
    pub fn default_subnets(&self) -> Result<Vec<(String, String)>, HarnessError> {
        let request_name = "POST / Action=DescribeSubnets (EC2, default-for-az)".to_owned();
        let failed = |detail: String| HarnessError::EmulatorRequest {
            request: request_name.clone(),
            detail,
        };
        let raw = self
            .ec2_query(DESCRIBE_DEFAULT_SUBNETS)
            .map_err(|e| failed(e.to_string()))?;
        let (status, body) = split_response(&raw)
            .ok_or_else(|| failed(format!("unparsable HTTP response: {raw:?}")))?;
        if status != 200 {
            return Err(failed(format!("HTTP {status}: {body}")));
        }
        let subnets = parse_subnets(body)
            .ok_or_else(|| failed(format!("unexpected DescribeSubnets answer: {body}")))?;
        if subnets.is_empty() {
            return Err(failed(format!("no default subnets in: {body}")));
        }
        Ok(subnets)
    }

    /// Creates a customer-managed KMS key in the emulator and returns its ARN (what a cluster's
    /// `kms_key_id` names; AWS, and the emulator, refuse keys that do not exist).
    pub fn create_kms_key(&self) -> Result<String, HarnessError> {
        let failed = |detail: String| HarnessError::EmulatorRequest {
            request: "POST / TrentService.CreateKey (KMS)".to_owned(),
            detail,
        };
        let raw = self
            .aws_request(
                "kms",
                "application/x-amz-json-1.1\r\nX-Amz-Target: TrentService.CreateKey",
                r#"{"Description":"dbrail acceptance test key"}"#,
            )
            .map_err(|e| failed(e.to_string()))?;
        let (status, body) = split_response(&raw)
            .ok_or_else(|| failed(format!("unparsable HTTP response: {raw:?}")))?;
        if status != 200 {
            return Err(failed(format!("HTTP {status}: {body}")));
        }
        let json: serde_json::Value =
            serde_json::from_str(body).map_err(|e| failed(format!("{e}: {body}")))?;
        json["KeyMetadata"]["Arn"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| failed(format!("no key ARN in {body}")))
    }

    /// The `SecretString` of a Secrets Manager secret in the emulator (for example the master
    /// password AWS manages for a cluster), read directly, independently of the provider.
    pub fn secret_string(&self, secret_id: &str) -> Result<String, HarnessError> {
        let failed = |detail: String| HarnessError::EmulatorRequest {
            request: format!("POST / secretsmanager.GetSecretValue {secret_id}"),
            detail,
        };
        let raw = self
            .aws_request(
                "secretsmanager",
                "application/x-amz-json-1.1\r\nX-Amz-Target: secretsmanager.GetSecretValue",
                &serde_json::json!({ "SecretId": secret_id }).to_string(),
            )
            .map_err(|e| failed(e.to_string()))?;
        let (status, body) = split_response(&raw)
            .ok_or_else(|| failed(format!("unparsable HTTP response: {raw:?}")))?;
        if status != 200 {
            return Err(failed(format!("HTTP {status}: {body}")));
        }
        let json: serde_json::Value =
            serde_json::from_str(body).map_err(|e| failed(format!("{e}: {body}")))?;
        json["SecretString"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| failed(format!("no SecretString in {body}")))
    }

    fn ec2_query(&self, body: &str) -> std::io::Result<String> {
        self.aws_request(
            "ec2",
            "application/x-www-form-urlencoded; charset=utf-8",
            body,
        )
    }

    /// One unsigned-but-attributed AWS request to the emulator (`content_type` may carry
    /// further header lines).
    fn aws_request(
        &self,
        service: &str,
        content_type: &str,
        body: &str,
    ) -> std::io::Result<String> {
        let addr = self.addr();
        let mut stream = TcpStream::connect_timeout(&addr, REQUEST_TIMEOUT)?;
        stream.set_read_timeout(Some(REQUEST_TIMEOUT))?;
        stream.set_write_timeout(Some(REQUEST_TIMEOUT))?;
        let request = format!(
            "POST / HTTP/1.0\r\nHost: {addr}\r\n\
             Content-Type: {content_type}\r\n\
             Authorization: AWS4-HMAC-SHA256 \
             Credential={key}/20240101/{region}/{service}/aws4_request, \
             SignedHeaders=host, Signature=0\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len(),
            key = crate::ACCESS_KEY_ID,
            region = crate::REGION,
        );
        stream.write_all(request.as_bytes())?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw)?;
        Ok(String::from_utf8_lossy(&raw).into_owned())
    }

    /// True when the emulator answers its readiness request right now.
    pub fn is_ready(&self) -> bool {
        http::request(self.addr(), "GET", READINESS_PATH, REQUEST_TIMEOUT)
            .is_ok_and(|r| r.status == 200)
    }

    /// The last lines of the emulator's own log (requests, and tracebacks of failed ones:
    /// moto answers an action it does not implement with HTTP 500 and logs why here).
    pub fn log_tail(&self) -> String {
        let text = process::read_lossy(&self.log);
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(LOG_TAIL_LINES)..].join("\n")
    }

    fn wait_ready(&mut self, deadline: Instant, timeout: Duration) -> Result<(), HarnessError> {
        loop {
            if self.is_ready() {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(self.start_error(format!("exited ({status}) before it was ready")));
            }
            if Instant::now() >= deadline {
                return Err(self.start_error(format!(
                    "GET {READINESS_PATH} on port {} did not answer 200 within {timeout:?}",
                    self.port
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn start_error(&self, detail: String) -> HarnessError {
        HarnessError::EmulatorStart {
            detail,
            log: self.log_tail(),
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        drop(self.stdin.take());
        // Kill only while the process is unreaped, so its group id cannot have been reused.
        if let Ok(None) = self.child.try_wait() {
            process::kill_group(&mut self.child);
        }
        if std::thread::panicking() && self.port != 0 {
            eprintln!(
                "[dbrail-acc] emulator on port {} (log tail follows)\n{}",
                self.port,
                self.log_tail()
            );
        }
    }
}

/// Status code and body of a raw HTTP response.
fn split_response(raw: &str) -> Option<(u16, &str)> {
    let (head, body) = raw.split_once("\r\n\r\n")?;
    let status = head
        .lines()
        .next()?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some((status, body))
}

/// `(subnet id, availability zone)` of every subnet in a `DescribeSubnets` answer, sorted by
/// zone then id; `None` when an entry lacks either. Only the direct children of each top-level
/// `<item>` of `<subnetSet>` count (tags and CIDR associations are nested items).
fn parse_subnets(xml: &str) -> Option<Vec<(String, String)>> {
    let set = xml.split_once("<subnetSet>")?.1;
    let set = set
        .rsplit_once("</subnetSet>")
        .map_or(set, |(inner, _)| inner);
    let mut subnets = Vec::new();
    let mut depth = 0usize;
    let mut item = String::new();
    let mut rest = set;
    while let Some(open) = rest.find('<') {
        let close = open + rest[open..].find('>')?;
        let tag = &rest[open + 1..close];
        let text = &rest[..open];
        if depth == 1 {
            item.push_str(text);
        }
        match tag {
            "item" => {
                depth += 1;
                if depth == 1 {
                    item.clear();
                    rest = &rest[close + 1..];
                    continue;
                }
            }
            "/item" => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    subnets.push((
                        element(&item, "subnetId")?,
                        element(&item, "availabilityZone")?,
                    ));
                    rest = &rest[close + 1..];
                    continue;
                }
            }
            _ => {}
        }
        if depth == 1 {
            item.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    subnets.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    Some(subnets)
}

/// The text of the first `<name>…</name>` in `xml`.
fn element(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&close)?;
    Some(xml[start..end].trim().to_owned())
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("endpoint", &self.endpoint())
            .field("pid", &self.child.id())
            .finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_subnets_sorted_by_zone_ignoring_nested_items() {
        let xml = "<DescribeSubnetsResponse><subnetSet>\
            <item><subnetId>subnet-b</subnetId><tagSet><item><key>subnetId</key>\
            <value>x</value></item></tagSet><availabilityZone>us-east-1b</availabilityZone></item>\
            <item><availabilityZoneId>use1-az6</availabilityZoneId><subnetId>subnet-a</subnetId>\
            <ipv6CidrBlockAssociationSet/><availabilityZone>us-east-1a</availabilityZone></item>\
            </subnetSet></DescribeSubnetsResponse>";
        assert_eq!(
            parse_subnets(xml).unwrap(),
            [
                ("subnet-a".to_owned(), "us-east-1a".to_owned()),
                ("subnet-b".to_owned(), "us-east-1b".to_owned()),
            ]
        );
    }

    #[test]
    fn rejects_incomplete_subnets_and_other_answers() {
        assert!(
            parse_subnets("<subnetSet><item><subnetId>s</subnetId></item></subnetSet>").is_none()
        );
        assert!(parse_subnets("<Response><Errors/></Response>").is_none());
        assert_eq!(parse_subnets("<subnetSet/>"), None);
        assert_eq!(parse_subnets("<subnetSet></subnetSet>").unwrap(), []);
    }

    #[test]
    fn splits_status_and_body() {
        assert_eq!(
            split_response("HTTP/1.1 200 OK\r\nA: b\r\n\r\n<x/>"),
            Some((200, "<x/>"))
        );
        assert_eq!(split_response("garbage"), None);
    }
}
