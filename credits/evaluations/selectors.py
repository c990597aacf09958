"""Reads for course evaluations: the questions a course asks and the aggregate results."""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from courses.models import Course
from credits.evaluations.models import EvaluationAnswer, EvaluationQuestion, EvaluationResponse

# Geometry of the server-rendered bar chart (SVG user units).
CHART_ROW = 28
CHART_LABEL_WIDTH = 40
CHART_BAR_MAX = 230

LIKERT_LABELS = {
    EvaluationQuestion.Scale.AGREEMENT: {1: _("1 · Strongly disagree"), 2: "2", 3: "3", 4: "4",
                                         5: _("5 · Strongly agree")},
    EvaluationQuestion.Scale.QUALITY: {1: _("1 · Poor"), 2: "2", 3: "3", 4: "4",
                                       5: _("5 · Excellent")},
}


def evaluation_questions_for(*, course: Course) -> list[EvaluationQuestion]:
    """The course's own questions, or the default set when it has none (it exists from
    migrate and from every course's first save: evaluation_default_questions_ensure)."""
    own = list(EvaluationQuestion.objects.filter(course=course))
    if own:
        return own
    return list(EvaluationQuestion.objects.filter(course__isnull=True))


@dataclass
class QuestionResult:
    question: EvaluationQuestion
    answered: int = 0
    counts: dict = field(default_factory=dict)  # rating or "yes"/"no" -> count
    total: int = 0
    texts: list[str] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)

    @property
    def mean(self) -> Decimal | None:
        if not self.question.is_likert or not self.answered:
            return None
        return (Decimal(self.total) / Decimal(self.answered)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def bars(self) -> list[dict]:
        """Bars for the server-rendered SVG chart: label, count and width in percent."""
        if self.question.is_likert:
            keys = [(n, str(n)) for n in range(1, 6)]
        elif self.question.is_yes_no:
            keys = [("yes", "Yes"), ("no", "No")]
        else:
            return []
        largest = max([self.counts.get(k, 0) for k, _ in keys] + [1])
        bars = []
        for index, (key, label) in enumerate(keys):
            count = self.counts.get(key, 0)
            width = round(CHART_BAR_MAX * count / largest)
            bars.append({"label": label, "count": count, "width": width,
                         "count_x": CHART_LABEL_WIDTH + width + 6, "y": index * CHART_ROW})
        return bars

    @property
    def scale_note(self) -> str:
        if not self.question.is_likert:
            return ""
        labels = LIKERT_LABELS[self.question.scale]
        return f"{labels[1].replace(' · ', ' = ')}, {labels[5].replace(' · ', ' = ')}"

    @property
    def chart_height(self) -> int:
        return CHART_ROW * len(self.bars)


@dataclass
class EvaluationResults:
    course: Course
    responses: int
    questions: list[QuestionResult]


def evaluation_results_for(*, course: Course) -> EvaluationResults:
    """Counts, means and free-text answers per question, in a fixed number of queries."""
    questions = evaluation_questions_for(course=course)
    results = {q.pk: QuestionResult(question=q) for q in questions}
    answers = EvaluationAnswer.objects.filter(response__course=course).only(
        "question_id", "rating", "yes_no", "text", "follow_up_text")
    for answer in answers:
        result = results.get(answer.question_id)
        if result is None:
            continue
        if answer.rating is not None:
            result.answered += 1
            result.total += answer.rating
            result.counts[answer.rating] = result.counts.get(answer.rating, 0) + 1
        elif answer.yes_no is not None:
            result.answered += 1
            key = "yes" if answer.yes_no else "no"
            result.counts[key] = result.counts.get(key, 0) + 1
        elif answer.text:
            result.answered += 1
        if answer.text:
            result.texts.append(answer.text)
        if answer.follow_up_text:
            result.follow_ups.append(answer.follow_up_text)
    return EvaluationResults(
        course=course,
        responses=EvaluationResponse.objects.filter(course=course).count(),
        questions=list(results.values()))


def evaluation_done_by(*, user, course: Course) -> bool:
    return EvaluationResponse.objects.filter(user=user, course=course).exists()
