//! Which service a request path names. IIS matches paths case-insensitively, SuperOffice
//! Online puts a customer segment first (`/Cust12345/Remote/Services88/User.svc`), and
//! some generated clients add `/soap12` after the `.svc`; all of these reach the service.

use crate::contract::Service;

/// A matched SOAP endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub service: Service,
    /// The customer segment, if any: the tenant's name.
    pub customer: Option<String>,
    /// The path as the client wrote it, up to and including `.svc`, for WSDL addresses.
    pub svc_path: String,
}

/// `None` when the path names no service of ours. Runs for every request, so it keeps the
/// segments in a small array and allocates only the strings it returns.
pub fn parse_path(path: &str) -> Option<Endpoint> {
    // At most five segments: [customer] [Remote] Services88 X.svc [soap12].
    let mut kept = [""; 5];
    let mut n = 0;
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        *kept.get_mut(n)? = segment;
        n += 1;
    }
    let segments = &kept[..n];
    let at = segments
        .iter()
        .position(|s| s.eq_ignore_ascii_case("services88"))?;
    let svc = segments.get(at + 1)?;
    let service = Service::from_svc_file(svc)?;
    let rest = &segments[at + 2..];
    if !(rest.is_empty() || (rest.len() == 1 && rest[0].eq_ignore_ascii_case("soap12"))) {
        return None;
    }
    let customer = match &segments[..at] {
        [] => None,
        [remote] if remote.eq_ignore_ascii_case("remote") => None,
        [cust, remote] if remote.eq_ignore_ascii_case("remote") => Some((*cust).to_owned()),
        _ => return None,
    };
    let mut svc_path = String::with_capacity(path.len());
    for segment in &segments[..at + 2] {
        svc_path.push('/');
        svc_path.push_str(segment);
    }
    Some(Endpoint {
        service,
        customer,
        svc_path,
    })
}

/// The customer segment of a path asking for the OpenAPI document
/// (`[/<customer>]/api/v1/openapi.json`, any case): `Some(None)` without one, `None` when
/// the path asks for something else.
pub fn openapi_customer(path: &str) -> Option<Option<String>> {
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    let first = segments.next()?;
    let (customer, api) = if first.eq_ignore_ascii_case("api") {
        (None, first)
    } else {
        (Some(first.to_owned()), segments.next()?)
    };
    let rest = [segments.next()?, segments.next()?];
    let wanted = api.eq_ignore_ascii_case("api")
        && rest[0].eq_ignore_ascii_case("v1")
        && rest[1].eq_ignore_ascii_case("openapi.json")
        && segments.next().is_none();
    wanted.then_some(customer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_case_insensitively_with_optional_prefixes() {
        let e = parse_path("/Remote/Services88/User.svc").unwrap();
        assert_eq!(e.service, Service::User);
        assert_eq!(e.customer, None);
        assert_eq!(
            parse_path("/remote/services88/USER.SVC").unwrap().service,
            Service::User
        );
        let e = parse_path("/Cust12345/Remote/Services88/SoPrincipal.svc").unwrap();
        assert_eq!(e.service, Service::SoPrincipal);
        assert_eq!(e.customer.as_deref(), Some("Cust12345"));
        assert_eq!(e.svc_path, "/Cust12345/Remote/Services88/SoPrincipal.svc");
        assert!(parse_path("/Services88/User.svc/soap12").is_some());
    }

    #[test]
    fn finds_the_openapi_document_with_or_without_a_customer() {
        assert_eq!(openapi_customer("/api/v1/openapi.json"), Some(None));
        assert_eq!(openapi_customer("/API/V1/OpenApi.JSON"), Some(None));
        assert_eq!(
            openapi_customer("/Cust12345/api/v1/openapi.json"),
            Some(Some("Cust12345".to_owned()))
        );
        for p in [
            "/",
            "/api/v1",
            "/api/v2/openapi.json",
            "/a/b/api/v1/openapi.json",
            "/api/v1/openapi.json/x",
            "/api/v1/Agents/User/SetPassword",
        ] {
            assert_eq!(openapi_customer(p), None, "{p}");
        }
    }

    #[test]
    fn refuses_other_paths() {
        for p in [
            "/",
            "/Remote/Services88/Contact.svc",
            "/Remote/Services88/User.svc/extra",
            "/a/b/Remote/Services88/User.svc",
            "/Cust1/Other/Services88/User.svc",
            "/Remote/Services87/User.svc",
            "/a/b/c/d/e/f/Services88/User.svc",
            "/Cust1/Remote/Services88/User.svc/soap12/x",
        ] {
            assert!(parse_path(p).is_none(), "{p}");
        }
    }
}
