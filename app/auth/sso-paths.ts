/** The SAML addresses an IdP is given; the HTTP server needs the ACS too (it takes the IdP's cross-site POST). */
export const SAML_METADATA_PATH = "/sso/saml/metadata";
export const SAML_ACS_PATH = "/sso/saml/acs";
/** Single logout (HTTP-Redirect): the IdP's LogoutResponse to the portal's request, and the IdP's own LogoutRequests. */
export const SAML_SLO_PATH = "/sso/saml/slo";
