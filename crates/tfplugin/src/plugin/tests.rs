//! AutoMTLS end to end inside one process: the real [`Services`] behind the real listener and
//! TLS configuration, on a real unix socket, and a real tonic client that dials it through
//! tokio-rustls. Nothing is mocked; only the certificates are made up for the test.
//!
//! The client pins the provider's certificate the way go-plugin does (it is self-signed and a
//! CA, so ordinary path building would refuse it). Terraform's client certificate is ECDSA
//! P-521, which neither rcgen nor rustls can produce with the `ring` backend used here, so the
//! P-521 cases build the certificate by hand (a few lines of DER) and sign with the `p521`
//! crate.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::listener::incoming;
use super::tls::ServerIdentity;
use crate::diagnostics::Diagnostics;
use crate::framework::{DynResource, Provider};
use crate::proto::tfplugin6 as wire;
use crate::proto::tfplugin6::provider_client::ProviderClient;
use crate::schema::{Attribute, Block, Schema};
use crate::server::Services;
use crate::value::Value;
use async_trait::async_trait;
use hyper_util::rt::TokioIo;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ClientConfig, ResolvesClientCert};
use rustls::crypto::ring as ring_provider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::sign::{CertifiedKey, Signer, SigningKey};
use rustls::{DigitallySignedStruct, SignatureAlgorithm, SignatureScheme};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{UnixListener, UnixStream};
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_util::sync::CancellationToken;
use tonic::transport::{Channel, Endpoint, Uri};

/// Every network step of these tests is bounded by this.
const LIMIT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------------
// The provider served: as small as the trait allows, with one attribute to look for.

struct Minimal;

#[async_trait]
impl Provider for Minimal {
    type Client = ();
    fn type_name(&self) -> &'static str {
        "mtls"
    }
    fn schema(&self) -> Schema {
        Schema::new(Block::new("").attribute(Attribute::string("marker").optional()))
    }
    async fn configure(&self, _: &Value, _: &CancellationToken) -> Result<(), Diagnostics> {
        Ok(())
    }
    fn resources(&self) -> Vec<Arc<dyn DynResource<()>>> {
        Vec::new()
    }
}

/// The provider, served over TLS on a fresh unix socket in its own temp dir.
struct Served {
    _dir: tempfile::TempDir,
    socket: PathBuf,
    server_cert: CertificateDer<'static>,
    shutdown: CancellationToken,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// Serves [`Minimal`] exactly as `serve_managed` does, requiring `client_pem`.
fn serve_tls(client_pem: &str) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("plugin.sock");
    let listener = UnixListener::bind(&socket).unwrap();
    let identity = ServerIdentity::generate().unwrap();
    let config = Arc::new(identity.server_config(client_pem).unwrap());
    let services = Services::new(Minimal);
    let shutdown = services.shutdown_signal();
    tokio::spawn(super::serve::serve_until(
        services,
        incoming(listener, Some(config)),
        shutdown.clone(),
    ));
    Served {
        _dir: dir,
        socket,
        server_cert: identity.certificate().clone(),
        shutdown,
    }
}

// ---------------------------------------------------------------------------------------------
// The client side: pin the provider's certificate, present (or not) a client certificate.

/// Accepts exactly one server certificate, verifying handshake signatures with `ring`.
#[derive(Debug)]
struct PinnedServer(CertificateDer<'static>);

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.0.as_ref() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &ring_provider::default_provider().signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &ring_provider::default_provider().signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        ring_provider::default_provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// What the client presents.
enum ClientAuth {
    None,
    /// A certificate and key rustls can sign with (P-256 here).
    Pkcs8(CertificateDer<'static>, PrivatePkcs8KeyDer<'static>),
    /// A certificate with any signing key, unchecked (P-521, or a mismatched key).
    Custom(Arc<CertifiedKey>),
}

#[derive(Debug)]
struct AlwaysPresent(Arc<CertifiedKey>);

impl ResolvesClientCert for AlwaysPresent {
    fn resolve(
        &self,
        _root_hint_subjects: &[&[u8]],
        _sigschemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        Some(self.0.clone())
    }

    fn has_certs(&self) -> bool {
        true
    }
}

fn client_config(server_cert: &CertificateDer<'static>, auth: ClientAuth) -> ClientConfig {
    let builder = ClientConfig::builder_with_provider(Arc::new(ring_provider::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedServer(server_cert.clone())));
    let mut config = match auth {
        ClientAuth::None => builder.with_no_client_auth(),
        ClientAuth::Pkcs8(cert, key) => builder
            .with_client_auth_cert(vec![cert], PrivateKeyDer::Pkcs8(key))
            .unwrap(),
        ClientAuth::Custom(certified) => {
            builder.with_client_cert_resolver(Arc::new(AlwaysPresent(certified)))
        }
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    config
}

/// One TLS connection to the provider's socket, the way go-plugin dials it.
async fn dial(socket: &Path, config: Arc<ClientConfig>) -> std::io::Result<TlsStream<UnixStream>> {
    let stream = UnixStream::connect(socket).await?;
    let name = ServerName::try_from("localhost").map_err(std::io::Error::other)?;
    TlsConnector::from(config).connect(name, stream).await
}

/// What a gRPC attempt came to, and the ALPN protocol of its (last) TLS connection.
struct Attempt {
    result: Result<wire::get_provider_schema::Response, String>,
    alpn: Option<Vec<u8>>,
}

/// Connects a tonic channel over TLS on the unix socket and asks for the provider schema.
async fn get_schema(served: &Served, auth: ClientAuth) -> Attempt {
    let config = Arc::new(client_config(&served.server_cert, auth));
    let socket = served.socket.clone();
    let alpn = Arc::new(Mutex::new(None));
    let seen = alpn.clone();
    let connector = tower::service_fn(move |_: Uri| {
        let config = config.clone();
        let socket = socket.clone();
        let seen = seen.clone();
        async move {
            let tls = dial(&socket, config).await?;
            *seen.lock().unwrap() = tls.get_ref().1.alpn_protocol().map(<[u8]>::to_vec);
            Ok::<_, std::io::Error>(TokioIo::new(tls))
        }
    });
    let call = async move {
        let channel: Channel = Endpoint::from_static("http://localhost")
            .connect_timeout(LIMIT)
            .timeout(LIMIT)
            .connect_with_connector(connector)
            .await
            .map_err(|e| format!("connect: {e:?}"))?;
        ProviderClient::new(channel)
            .get_provider_schema(wire::get_provider_schema::Request {})
            .await
            .map(tonic::Response::into_inner)
            .map_err(|status| format!("call: {status:?}"))
    };
    let result = tokio::time::timeout(LIMIT * 2, call)
        .await
        .unwrap_or_else(|_| Err("timed out".to_owned()));
    let alpn = alpn.lock().unwrap().clone();
    Attempt { result, alpn }
}

// ---------------------------------------------------------------------------------------------
// Certificates.

/// A P-256 certificate shaped like go-plugin's (self-signed CA for localhost), PEM and parts.
fn p256_client() -> (String, CertificateDer<'static>, PrivatePkcs8KeyDer<'static>) {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
    ];
    let cert = params.self_signed(&key).unwrap();
    (
        cert.pem(),
        cert.der().clone(),
        PrivatePkcs8KeyDer::from(key.serialize_der()),
    )
}

fn pem(der: &[u8]) -> String {
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut text = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in body.as_bytes().chunks(64) {
        text.push_str(std::str::from_utf8(chunk).unwrap());
        text.push('\n');
    }
    text.push_str("-----END CERTIFICATE-----\n");
    text
}

/// Randomness for `p521` from the same system source rustls uses.
struct SystemRng;

impl p521::elliptic_curve::rand_core::RngCore for SystemRng {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        ring_provider::default_provider()
            .secure_random
            .fill(dest)
            .unwrap();
    }
    fn try_fill_bytes(
        &mut self,
        dest: &mut [u8],
    ) -> Result<(), p521::elliptic_curve::rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl p521::elliptic_curve::rand_core::CryptoRng for SystemRng {}

/// ECDSA P-521 / SHA-512, DER-encoded: the signature Terraform's Go TLS stack makes.
fn p521_sign(key: &p521::ecdsa::SigningKey, message: &[u8]) -> Vec<u8> {
    use p521::ecdsa::signature::RandomizedSigner;
    let signature: p521::ecdsa::Signature = key.sign_with_rng(&mut SystemRng, message);
    signature.to_der().as_bytes().to_vec()
}

/// A fresh random P-521 key.
fn p521_key() -> p521::ecdsa::SigningKey {
    p521::ecdsa::SigningKey::random(&mut SystemRng)
}

/// One DER TLV.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    der(0x30, &parts.concat())
}

/// A self-signed v3 certificate for `localhost` with an ECDSA P-521 key, signed with
/// ecdsa-with-SHA512 and marked as a CA: what go-plugin's AutoMTLS client generates.
fn p521_self_signed(key: &p521::ecdsa::SigningKey) -> CertificateDer<'static> {
    const ECDSA_WITH_SHA512: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x04];
    const EC_PUBLIC_KEY: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
    const SECP521R1: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x23];
    const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
    const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1D, 0x13];

    let algorithm = seq(&[der(0x06, ECDSA_WITH_SHA512)]);
    let name = seq(&[der(
        0x31,
        &seq(&[der(0x06, COMMON_NAME), der(0x0C, b"localhost")]),
    )]);
    let validity = seq(&[der(0x17, b"200101000000Z"), der(0x17, b"491231235959Z")]);
    let point = p521::ecdsa::VerifyingKey::from(key).to_encoded_point(false);
    let spki = seq(&[
        seq(&[der(0x06, EC_PUBLIC_KEY), der(0x06, SECP521R1)]),
        der(0x03, &[&[0u8][..], point.as_bytes()].concat()),
    ]);
    let ca = seq(&[
        der(0x06, BASIC_CONSTRAINTS),
        der(0x01, &[0xFF]),
        der(0x04, &seq(&[der(0x01, &[0xFF])])),
    ]);
    let tbs = seq(&[
        der(0xA0, &der(0x02, &[0x02])),
        der(0x02, &[0x01, 0x52, 0x21]),
        algorithm.clone(),
        name.clone(),
        validity,
        name,
        spki,
        der(0xA3, &seq(&[ca])),
    ]);
    let signature = p521_sign(key, &tbs);
    CertificateDer::from(seq(&[
        tbs,
        algorithm,
        der(0x03, &[&[0u8][..], &signature].concat()),
    ]))
}

/// A rustls signing key backed by `p521`.
#[derive(Clone)]
struct P521Key(p521::ecdsa::SigningKey);

impl std::fmt::Debug for P521Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("P521Key")
    }
}

impl SigningKey for P521Key {
    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        offered
            .contains(&SignatureScheme::ECDSA_NISTP521_SHA512)
            .then(|| Box::new(self.clone()) as Box<dyn Signer>)
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        SignatureAlgorithm::ECDSA
    }
}

impl Signer for P521Key {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, rustls::Error> {
        Ok(p521_sign(&self.0, message))
    }

    fn scheme(&self) -> SignatureScheme {
        SignatureScheme::ECDSA_NISTP521_SHA512
    }
}

/// Asserts the attempt failed because the provider refused the handshake with `alert`.
#[track_caller]
fn assert_refused(attempt: &Attempt, alert: &str) {
    match &attempt.result {
        Ok(_) => panic!("the provider served a client it must refuse"),
        Err(error) => assert!(
            error.contains(&format!("received fatal alert: {alert}")),
            "expected the provider to refuse the TLS handshake with {alert}, got: {error}"
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// The tests.

#[tokio::test]
async fn the_pinned_client_certificate_gets_answers_over_h2() {
    let (client_pem, cert, key) = p256_client();
    let served = serve_tls(&client_pem);
    let attempt = get_schema(&served, ClientAuth::Pkcs8(cert, key)).await;
    let schema = attempt.result.expect("the pinned client must be served");
    let provider = schema.provider.unwrap().block.unwrap();
    assert_eq!(provider.attributes[0].name, "marker");
    assert_eq!(attempt.alpn.as_deref(), Some(&b"h2"[..]), "ALPN must be h2");
}

#[tokio::test]
async fn alpn_h2_is_negotiated_on_the_raw_tls_connection() {
    let (client_pem, cert, key) = p256_client();
    let served = serve_tls(&client_pem);
    let config = Arc::new(client_config(
        &served.server_cert,
        ClientAuth::Pkcs8(cert, key),
    ));
    let tls = tokio::time::timeout(LIMIT, dial(&served.socket, config))
        .await
        .unwrap()
        .unwrap();
    let (_, session) = tls.get_ref();
    assert_eq!(session.alpn_protocol(), Some(&b"h2"[..]));
    assert_eq!(
        session.protocol_version(),
        Some(rustls::ProtocolVersion::TLSv1_3)
    );
}

#[tokio::test]
async fn a_client_without_a_certificate_is_refused() {
    let (client_pem, _, _) = p256_client();
    let served = serve_tls(&client_pem);
    let attempt = get_schema(&served, ClientAuth::None).await;
    assert_refused(&attempt, "CertificateRequired");
}

#[tokio::test]
async fn a_different_self_signed_certificate_is_refused() {
    let (client_pem, _, _) = p256_client();
    let served = serve_tls(&client_pem);
    let (_, other_cert, other_key) = p256_client();
    let attempt = get_schema(&served, ClientAuth::Pkcs8(other_cert, other_key)).await;
    assert_refused(&attempt, "AccessDenied");
}

#[tokio::test]
async fn the_right_certificate_without_its_key_is_refused() {
    // Whoever can read PLUGIN_CLIENT_CERT (it is not secret) must still not get in: the
    // handshake signature is checked against the pinned certificate's key.
    let (client_pem, cert, _) = p256_client();
    let served = serve_tls(&client_pem);
    let (_, _, other_key) = p256_client();
    let signing_key = ring_provider::default_provider()
        .key_provider
        .load_private_key(PrivateKeyDer::Pkcs8(other_key))
        .unwrap();
    let certified = Arc::new(CertifiedKey::new(vec![cert], signing_key));
    let attempt = get_schema(&served, ClientAuth::Custom(certified)).await;
    assert_refused(&attempt, "DecryptError");
}

#[tokio::test]
async fn a_p521_client_certificate_like_terraforms_is_accepted() {
    let key = p521_key();
    let cert = p521_self_signed(&key);
    let served = serve_tls(&pem(&cert));
    let certified = Arc::new(CertifiedKey::new(vec![cert], Arc::new(P521Key(key))));
    let attempt = get_schema(&served, ClientAuth::Custom(certified)).await;
    let schema = attempt
        .result
        .expect("Terraform's P-521 client certificate must be served");
    assert!(schema.provider.is_some());
    assert_eq!(attempt.alpn.as_deref(), Some(&b"h2"[..]));
}

#[tokio::test]
async fn a_p521_certificate_signed_with_another_key_is_refused() {
    // The P-521 path really verifies the handshake signature rather than waving P-521 through.
    let key = p521_key();
    let cert = p521_self_signed(&key);
    let served = serve_tls(&pem(&cert));
    let certified = Arc::new(CertifiedKey::new(vec![cert], Arc::new(P521Key(p521_key()))));
    let attempt = get_schema(&served, ClientAuth::Custom(certified)).await;
    assert_refused(&attempt, "DecryptError");
}

#[tokio::test]
async fn a_refused_client_does_not_stop_the_listener() {
    // Handshakes run in their own tasks: after a refusal the right client is still served.
    let (client_pem, cert, key) = p256_client();
    let served = serve_tls(&client_pem);
    assert_refused(
        &get_schema(&served, ClientAuth::None).await,
        "CertificateRequired",
    );
    let attempt = get_schema(&served, ClientAuth::Pkcs8(cert, key)).await;
    assert!(attempt.result.is_ok(), "{:?}", attempt.result.map(|_| ()));
}

#[test]
fn the_hand_built_p521_certificate_is_well_formed() {
    // Guards the fixture itself: the certificate parses, names the P-521 key, and its own
    // signature verifies with the provider's P-521 algorithm.
    let key = p521_key();
    let cert = p521_self_signed(&key);
    let text = pem(&cert);
    use rustls::pki_types::pem::PemObject;
    let parsed = CertificateDer::from_pem_slice(text.as_bytes()).unwrap();
    assert_eq!(parsed.as_ref(), cert.as_ref());
    let point = p521::ecdsa::VerifyingKey::from(&key).to_encoded_point(false);
    assert!(
        cert.as_ref()
            .windows(point.as_bytes().len())
            .any(|w| w == point.as_bytes())
    );
}
