"""The upload form of the public verification page."""
from django import forms
from django.conf import settings


class CredentialUploadForm(forms.Form):
    credential = forms.FileField(
        label="Credential file",
        help_text="The .jwt or .json file downloaded from the portal (Open Badges 3.0).",
        error_messages={"required": "Choose the credential file to check.",
                        "empty": "This file is empty. Choose the credential file you "
                                 "downloaded."})

    def clean_credential(self) -> bytes:
        upload = self.cleaned_data["credential"]
        limit = settings.CREDENTIAL_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"This file is {upload.size // 1024} KB; a credential is at most {limit // 1024} "
                "KB. Choose the .jwt or .json file downloaded from the portal.")
        return upload.read(limit + 1)
