import json
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicbridge.playbook.document import SHIPPED, read_yaml
from civicbridge.playbook.models import PlaybookVersion
from civicbridge.playbook.templatetags.playbook import tr
from civicbridge.readiness import engine


def quoted(quote: engine.Quote | None) -> str:
    """The report's sentence and where it stands, for a line of text output."""
    if quote is None:
        return "(our guidance, not from the report)"
    where = f" ({quote.place})" if quote.place else ""
    return f"“{quote.text}”{where}"


class Command(BaseCommand):
    help = (
        "Rank the collaboration models for a context whose answers are in a YAML file. "
        "Questions left out count for nothing either way; with too few answers, it says "
        "which questions would decide."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", type=Path, help="YAML: `answers:` mapping each question id to a value."
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, **options) -> None:
        version = PlaybookVersion.objects.current()
        document = version.content if version else read_yaml(SHIPPED.read_text())
        try:
            data = yaml.safe_load(options["file"].read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}.") from None
        except yaml.YAMLError as error:
            raise CommandError(f"{options['file']} is not valid YAML: {error}") from None
        answers = data.get("answers") if isinstance(data, dict) else None
        if not isinstance(answers, dict):
            raise CommandError("The file needs an `answers:` mapping of question ids to values.")
        # YAML reads a key such as `1:` as a number: it is still a question id, if a wrong one.
        answers = {str(question): value for question, value in answers.items()}
        problems = engine.check_answers(document, answers)
        if problems:
            raise CommandError("The answers cannot be assessed:\n" + "\n".join(problems))
        result = engine.assess(document, answers)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
            return
        self.write_text(document, result)

    def write_text(self, document: dict, result: engine.Assessment) -> None:
        names = {m["id"]: tr(m["name"]) for m in document["models"]}
        statements = {
            c["id"]: tr(c["statement"]) for m in document["models"] for c in m["conditions"]
        }
        mitigations = {x["id"]: tr(x["text"]) for m in document["models"] for x in m["mitigations"]}
        questions = {q["id"]: tr(q["text"]) for q in document["questions"]}
        if not result.enough_answers:
            self.stdout.write(
                "Not enough answers yet to rank the models: no model has "
                f"{engine.ENOUGH_ANSWERED:.0%} of its weight answered and every blocking "
                "question answered. These questions would decide it:"
            )
            for question in result.deciding:
                blocking = " (it can exclude a model)" if question.blocking else ""
                self.stdout.write(f"- {questions[question.question_id]}{blocking}")
            return
        for model in result.models:
            name = names[model.model_id]
            answered = f"{model.answered_percent}% of its weight answered"
            if model.status == engine.Status.UNDECIDED:
                self.stdout.write(f"-. {name}: not enough answers ({answered})")
                for question_id in model.unanswered_questions[:3]:
                    self.stdout.write(f"     would decide it: {questions[question_id]}")
                continue
            verdict = {
                engine.Status.RECOMMENDED: "recommended",
                engine.Status.WEAK: f"not recommended: a weak fit (below {engine.RECOMMEND_FROM})",
                engine.Status.EXCLUDED: "not recommended: a blocking condition fails",
            }[model.status]
            rank = f"{model.rank}=" if model.tied else f"{model.rank}."
            self.stdout.write(f"{rank} {name}: fit {model.score}/100 ({answered}), {verdict}")
            lines = {line.condition_id: line for line in model.conditions}
            for condition_id in model.blocking_failed:
                self.stdout.write(f"     blocked by: {statements[condition_id]}")
                self.stdout.write(f"       {quoted(lines[condition_id].quote)}")
        for leader in result.leaders:
            steps = result.risks_for(leader.model_id)[:3]
            if steps:
                self.stdout.write(f"\nWhat to do first, for {names[leader.model_id]}:")
            for risk in steps:
                self.stdout.write(f"- {statements[risk.condition_id]}")
                self.stdout.write(f"    {quoted(risk.condition.quote)}")
                for mitigation_id in risk.mitigation_ids:
                    self.stdout.write(f"    {mitigations[mitigation_id]}")
            if leader.gates:
                self.stdout.write(f"\nTo do once {names[leader.model_id]} is under way:")
            for gate in leader.gates:
                before = f"before {gate.stage}" if gate.stage else "while it runs"
                self.stdout.write(f"- {before}: {statements[gate.condition_id]}")
                self.stdout.write(f"    {quoted(gate.quote)}")
        if not result.leaders:
            self.stdout.write(
                "\nNo model can go ahead: each one has a blocking condition that fails. "
                "See what blocks each model above."
            )
