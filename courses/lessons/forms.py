from django import forms

from .models import Lesson


class LessonForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 16}), required=False,
                           label="Text (Markdown)",
                           help_text="## Heading, - list item, | table |, [link](https://...).")
    estimated_minutes = forms.IntegerField(min_value=1, max_value=600, initial=5,
                                           label="Estimated minutes")
    status = forms.ChoiceField(choices=Lesson.Status.choices, initial=Lesson.Status.DRAFT,
                               help_text="Learners see published lessons only.")
    video_url = forms.URLField(required=False, assume_scheme="https",
                               label="Video link (hospital video platform)")
    video = forms.FileField(required=False, label="Or upload a video (MP4 or WebM)")


class AttachmentForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="For images, describe what it shows.")
    file = forms.FileField(help_text="PDF, PNG, JPEG or WebP.")
