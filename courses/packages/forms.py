from django import forms


class PackageUploadForm(forms.Form):
    file = forms.FileField(label="Package (zip)",
                           help_text="A SCORM 1.2 or SCORM 2004 export from Storyline, Rise, "
                                     "Captivate, Lectora or similar, with imsmanifest.xml at the "
                                     "top of the zip.")
    estimated_minutes = forms.IntegerField(min_value=1, max_value=600, initial=20,
                                           label="Estimated minutes",
                                           help_text="Shown to learners on the course page.")
