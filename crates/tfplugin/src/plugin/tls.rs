//! AutoMTLS as go-plugin does it, done strictly.
//!
//! When Terraform sets `PLUGIN_CLIENT_CERT` (a PEM certificate it generated for this run), the
//! provider generates a fresh self-signed certificate, serves TLS with it, puts it in the
//! handshake line, and **requires** the client to present exactly Terraform's certificate. Any
//! other process that finds the socket is refused during the TLS handshake.
//!
//! Terraform's certificate uses an ECDSA P-521 key. The `ring` provider that rustls uses here
//! verifies P-256 and P-384 only, so P-521 / SHA-512 signature verification is supplied by the
//! pure-Rust `p521` crate. Certificate path building (webpki) is not used for the client: its
//! certificate is self-signed and marked as a CA, which webpki rejects as an end-entity, and
//! pinning the exact certificate is the stronger check anyway. The handshake signature is still
//! verified, so presenting the certificate without its private key fails.

use base64::Engine;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{WebPkiSupportedAlgorithms, ring as ring_provider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{
    AlgorithmIdentifier, CertificateDer, InvalidSignature, PrivateKeyDer, PrivatePkcs8KeyDer,
    SignatureVerificationAlgorithm, UnixTime, alg_id,
};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, ServerConfig, SignatureScheme};
use std::sync::Arc;
use thiserror::Error;

/// Why TLS could not be set up.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum TlsError {
    /// `PLUGIN_CLIENT_CERT` held no usable PEM certificate.
    #[error("PLUGIN_CLIENT_CERT does not hold a PEM certificate: {0}")]
    BadClientCertificate(String),
    /// Generating the server certificate failed.
    #[error("could not generate the provider's TLS certificate: {0}")]
    Generate(#[from] rcgen::Error),
    /// rustls refused the configuration.
    #[error("could not configure TLS: {0}")]
    Config(#[from] rustls::Error),
}

/// The provider's own certificate and key for one run.
pub struct ServerIdentity {
    cert: CertificateDer<'static>,
    key: PrivatePkcs8KeyDer<'static>,
}

impl ServerIdentity {
    /// Generates a fresh self-signed certificate for `localhost` (the name go-plugin clients
    /// verify), usable for both server and client authentication.
    pub fn generate() -> Result<Self, TlsError> {
        let mut params = CertificateParams::new(vec!["localhost".to_owned()])?;
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        params
            .distinguished_name
            .push(DnType::OrganizationName, "dbrail");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
            KeyUsagePurpose::KeyCertSign,
        ];
        params.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::ClientAuth,
        ];
        let now = time::OffsetDateTime::now_utc();
        params.not_before = now - time::Duration::seconds(30);
        params.not_after = now + time::Duration::days(365);
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
        let cert = params.self_signed(&key)?;
        Ok(Self {
            cert: cert.der().clone(),
            key: PrivatePkcs8KeyDer::from(key.serialize_der()),
        })
    }

    /// The certificate as the handshake line carries it: DER, standard base64 without padding.
    pub fn handshake_encoding(&self) -> String {
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(self.cert.as_ref())
    }

    /// The certificate, DER-encoded.
    pub fn certificate(&self) -> &CertificateDer<'static> {
        &self.cert
    }

    /// A rustls server configuration that requires exactly `client_cert_pem`.
    pub fn server_config(&self, client_cert_pem: &str) -> Result<ServerConfig, TlsError> {
        let expected = CertificateDer::from_pem_slice(client_cert_pem.as_bytes())
            .map_err(|e| TlsError::BadClientCertificate(e.to_string()))?;
        let verifier = PinnedClientCertificate { expected };
        let mut config =
            ServerConfig::builder_with_provider(Arc::new(ring_provider::default_provider()))
                .with_safe_default_protocol_versions()?
                .with_client_cert_verifier(Arc::new(verifier))
                .with_single_cert(
                    vec![self.cert.clone()],
                    PrivateKeyDer::Pkcs8(self.key.clone_key()),
                )?;
        config.alpn_protocols = vec![b"h2".to_vec()];
        Ok(config)
    }
}

/// Accepts exactly one client certificate and verifies the handshake signature made with it.
#[derive(Debug)]
struct PinnedClientCertificate {
    expected: CertificateDer<'static>,
}

impl PinnedClientCertificate {
    fn algorithms(scheme: SignatureScheme) -> &'static WebPkiSupportedAlgorithms {
        if scheme == SignatureScheme::ECDSA_NISTP521_SHA512 {
            &P521_ALGORITHMS
        } else {
            ring_algorithms()
        }
    }
}

fn ring_algorithms() -> &'static WebPkiSupportedAlgorithms {
    static ALGORITHMS: std::sync::OnceLock<WebPkiSupportedAlgorithms> = std::sync::OnceLock::new();
    ALGORITHMS.get_or_init(|| ring_provider::default_provider().signature_verification_algorithms)
}

impl ClientCertVerifier for PinnedClientCertificate {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.expected.as_ref() {
            Ok(ClientCertVerified::assertion())
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
        rustls::crypto::verify_tls12_signature(message, cert, dss, Self::algorithms(dss.scheme))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, Self::algorithms(dss.scheme))
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        let mut schemes = ring_algorithms().supported_schemes();
        schemes.push(SignatureScheme::ECDSA_NISTP521_SHA512);
        schemes
    }
}

/// ECDSA over P-521 with SHA-512, the signature of Terraform's client certificate.
#[derive(Debug)]
struct EcdsaP521Sha512;

impl SignatureVerificationAlgorithm for EcdsaP521Sha512 {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        use p521::ecdsa::signature::Verifier;
        let key =
            p521::ecdsa::VerifyingKey::from_sec1_bytes(public_key).map_err(|_| InvalidSignature)?;
        let signature =
            p521::ecdsa::Signature::from_der(signature).map_err(|_| InvalidSignature)?;
        key.verify(message, &signature)
            .map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_P521
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_SHA512
    }
}

static P521: &dyn SignatureVerificationAlgorithm = &EcdsaP521Sha512;

static P521_ALGORITHMS: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
    all: &[P521],
    mapping: &[(SignatureScheme::ECDSA_NISTP521_SHA512, &[P521])],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handshake_encoding_is_unpadded_base64_der() {
        let identity = ServerIdentity::generate().unwrap();
        let text = identity.handshake_encoding();
        assert!(!text.ends_with('='));
        let der = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(text)
            .unwrap();
        assert_eq!(der, identity.certificate().as_ref());
    }

    #[test]
    fn rejects_garbage_client_certificate() {
        let identity = ServerIdentity::generate().unwrap();
        assert!(matches!(
            identity.server_config("not a certificate"),
            Err(TlsError::BadClientCertificate(_))
        ));
    }

    #[test]
    fn pins_the_exact_certificate() {
        let expected = ServerIdentity::generate().unwrap();
        let other = ServerIdentity::generate().unwrap();
        let verifier = PinnedClientCertificate {
            expected: expected.certificate().clone(),
        };
        assert!(
            verifier
                .verify_client_cert(expected.certificate(), &[], UnixTime::now())
                .is_ok()
        );
        assert!(
            verifier
                .verify_client_cert(other.certificate(), &[], UnixTime::now())
                .is_err()
        );
        assert!(
            verifier
                .supported_verify_schemes()
                .contains(&SignatureScheme::ECDSA_NISTP521_SHA512)
        );
    }
}
