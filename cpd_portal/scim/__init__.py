"""SCIM 2.0 provisioning at /scim/v2/: the hospital's identity provider (Entra ID, Okta) creates,
updates and deactivates people, their unit (department), manager and title, and the units as
Groups. Resources, filters and PATCH are scim2-models' (decision 0025); the package sits in
cpd_portal because it writes across apps (accounts' people, credits' units and assignments).
"""
