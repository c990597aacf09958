"""Single sign-on through the hospital's OpenID Connect identity providers (allauth's
`openid_connect` provider, configured from the environment)."""
