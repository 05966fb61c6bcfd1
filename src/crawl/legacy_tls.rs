//! GETs over the system OpenSSL to servers that speak only TLS 1.0/1.1 (the `tls-legacy`
//! build feature).
//!
//! rustls, the default TLS stack, implements TLS 1.2 and 1.3 only; some 政府网站 still
//! answer nothing newer. When the fetcher meets a protocol-version failure on such a host,
//! it sends that host's GETs here: OpenSSL with TLS 1.0 allowed and security level 0 (OpenSSL 3
//! refuses TLS 1.0/1.1 and their SHA-1 signatures at any higher level), HTTP/1.1 without
//! cookies or compression, one connection per request. Only GETs come here; the fetcher
//! never sends anything else to such a host. The certificate is checked against the system
//! CAs and the host name, and a failure is reported, not fatal (as for the rustls client's
//! read without verification).

use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::time::Duration;

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode, SslVersion};
use openssl::x509::X509VerifyResult;
use reqwest::header::{ACCEPT, ACCEPT_ENCODING, CONNECTION, HOST, HeaderValue, USER_AGENT};
use url::{Host, Url};

use super::address::{GuardedResolver, NonPublicAddress};
use super::fetch::Failure;

/// Why a legacy GET did not produce a response.
#[derive(Debug)]
pub(crate) enum LegacyError {
    /// The host resolves only to addresses the crawler may not connect to.
    Refused(NonPublicAddress),
    /// Any other failure.
    Failed(Failure),
}

/// A response read over the legacy stack, with what the handshake showed.
pub(crate) struct LegacyResponse {
    /// The response, its body already read (at most one byte over the body cap, so the
    /// fetcher's cap still applies).
    pub response: reqwest::Response,
    /// The negotiated protocol, e.g. `TLSv1`.
    pub protocol: &'static str,
    /// Why the certificate did not verify, if it did not (in the fetcher's wording).
    pub certificate: Option<String>,
}

/// The OpenSSL-backed client.
pub(crate) struct LegacyClient {
    connector: SslConnector,
    resolver: GuardedResolver,
    timeout: Duration,
    user_agent: HeaderValue,
    max_body: usize,
}

impl std::fmt::Debug for LegacyClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LegacyClient")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl LegacyClient {
    /// A client resolving through `resolver` (the same address policy as the main
    /// client), with the whole request bounded by `timeout`.
    pub(crate) fn new(
        resolver: GuardedResolver,
        timeout: Duration,
        user_agent: &str,
        max_body: usize,
    ) -> Result<LegacyClient, String> {
        let mut builder =
            SslConnector::builder(SslMethod::tls_client()).map_err(|e| format!("OpenSSL: {e}"))?;
        builder
            .set_min_proto_version(Some(SslVersion::TLS1))
            .map_err(|e| format!("OpenSSL: {e}"))?;
        builder
            .set_cipher_list("DEFAULT:@SECLEVEL=0")
            .map_err(|e| format!("OpenSSL: {e}"))?;
        // Verification runs and its result is read after the handshake; a certificate
        // that does not verify is reported, the page still read.
        builder.set_verify(SslVerifyMode::NONE);
        let user_agent = HeaderValue::from_str(user_agent)
            .map_err(|e| format!("User-Agent {user_agent:?}: {e}"))?;
        Ok(LegacyClient {
            connector: builder.build(),
            resolver,
            timeout,
            user_agent,
            max_body,
        })
    }

    /// Sends `request` (a GET) and reads its response.
    pub(crate) async fn get(
        &self,
        request: reqwest::Request,
    ) -> Result<LegacyResponse, LegacyError> {
        match tokio::time::timeout(self.timeout, self.exchange(request)).await {
            Ok(result) => result,
            Err(_) => Err(LegacyError::Failed(Failure::Timeout)),
        }
    }

    async fn exchange(&self, request: reqwest::Request) -> Result<LegacyResponse, LegacyError> {
        let failed = |f: Failure| LegacyError::Failed(f);
        let url = request.url().clone();
        let (host, port) = match (url.host_str(), url.port_or_known_default()) {
            (Some(h), Some(p)) => (h.to_string(), p),
            _ => return Err(failed(Failure::Other(format!("no host in {url}")))),
        };
        let tcp = self.connect(&url, port).await?;

        let name = host.trim_start_matches('[').trim_end_matches(']');
        let ssl = self
            .connector
            .configure()
            .and_then(|c| c.into_ssl(name))
            .map_err(|e| failed(Failure::Other(format!("OpenSSL: {e}"))))?;
        let mut tls = tokio_openssl::SslStream::new(ssl, tcp)
            .map_err(|e| failed(Failure::Other(format!("OpenSSL: {e}"))))?;
        if let Err(e) = Pin::new(&mut tls).connect().await {
            tracing::debug!(host, error = %e, "legacy TLS handshake failed");
            return Err(failed(Failure::Tls));
        }
        let protocol = tls.ssl().version_str();
        let certificate = certificate_reason(tls.ssl().verify_result());

        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
            .await
            .map_err(|e| failed(Failure::Other(e.to_string())))?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        let target = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        let mut builder = hyper::Request::builder()
            .method(request.method().clone())
            .uri(target);
        for (name, value) in request.headers() {
            builder = builder.header(name, value);
        }
        let authority = match url.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.clone(),
        };
        let http_request = builder
            .header(HOST, authority)
            .header(USER_AGENT, self.user_agent.clone())
            .header(ACCEPT, "*/*")
            .header(ACCEPT_ENCODING, "identity")
            .header(CONNECTION, "close")
            .body(Empty::<Bytes>::new())
            .map_err(|e| failed(Failure::Other(e.to_string())))?;
        let response = sender
            .send_request(http_request)
            .await
            .map_err(|e| failed(Failure::Other(e.to_string())))?;
        let (parts, mut body) = response.into_parts();
        let mut bytes = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| failed(Failure::Incomplete))?;
            if let Ok(data) = frame.into_data() {
                bytes.extend_from_slice(&data);
                if bytes.len() > self.max_body {
                    break;
                }
            }
        }
        let response = reqwest::Response::from(hyper::Response::from_parts(
            parts,
            reqwest::Body::from(bytes),
        ));
        Ok(LegacyResponse {
            response,
            protocol,
            certificate,
        })
    }

    /// A TCP connection to the first permitted address of `url`'s host that answers.
    async fn connect(&self, url: &Url, port: u16) -> Result<tokio::net::TcpStream, LegacyError> {
        let ips: Vec<IpAddr> = match url.host() {
            Some(Host::Ipv4(v4)) => vec![IpAddr::V4(v4)],
            Some(Host::Ipv6(v6)) => vec![IpAddr::V6(v6)],
            Some(Host::Domain(name)) => match self.resolver.permitted(name).await {
                Ok(ips) => ips,
                Err(e) => {
                    return Err(match e.downcast_ref::<NonPublicAddress>() {
                        Some(refused) => LegacyError::Refused(refused.clone()),
                        None => LegacyError::Failed(Failure::Dns),
                    });
                }
            },
            None => Vec::new(),
        };
        for ip in ips {
            if let Ok(tcp) = tokio::net::TcpStream::connect(SocketAddr::new(ip, port)).await {
                return Ok(tcp);
            }
        }
        Err(LegacyError::Failed(Failure::Connect))
    }
}

/// The 证书问题 for an OpenSSL verification result, in the words the rustls path uses.
fn certificate_reason(result: X509VerifyResult) -> Option<String> {
    if result == X509VerifyResult::OK {
        return None;
    }
    // X509_V_ERR_* codes (openssl/x509_vfy.h).
    let what = match result.as_raw() {
        2 | 18 | 19 | 20 | 21 => "证书颁发机构不受信任或证书链不完整",
        10 => "证书已过期",
        9 => "证书尚未生效",
        62 | 64 => "证书与网站域名不符",
        23 => "证书已被吊销",
        _ => "证书无法验证",
    };
    Some(format!("{what}({})", result.error_string()))
}
