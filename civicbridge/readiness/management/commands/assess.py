import json
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicbridge.playbook.document import SHIPPED, read_yaml
from civicbridge.playbook.models import PlaybookVersion
from civicbridge.playbook.templatetags.playbook import tr
from civicbridge.readiness import engine


class Command(BaseCommand):
    help = "Rank the collaboration models for a context whose answers are in a YAML file."

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
        problems = engine.check_answers(document, answers, complete=True)
        if problems:
            raise CommandError("The answers cannot be assessed:\n" + "\n".join(problems))
        result = engine.assess(document, answers)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
            return
        names = {m["id"]: tr(m["name"]) for m in document["models"]}
        statements = {
            c["id"]: tr(c["statement"]) for m in document["models"] for c in m["conditions"]
        }
        mitigations = {x["id"]: tr(x["text"]) for m in document["models"] for x in m["mitigations"]}
        for model in result.models:
            if model.recommended:
                verdict = "recommended"
            elif model.blocking_failed:
                verdict = "not recommended: a blocking condition fails"
            else:
                verdict = f"not recommended: a weak fit (below {engine.RECOMMEND_FROM})"
            self.stdout.write(
                f"{model.rank}. {names[model.model_id]}: fit {model.score}/100, {verdict}"
            )
            for condition_id in model.blocking_failed:
                self.stdout.write(f"     blocked by: {statements[condition_id]}")
        self.stdout.write("\nWhat to do first:")
        for risk in result.first_steps():
            self.stdout.write(f"- {statements[risk.condition_id]}")
            for mitigation_id in risk.mitigation_ids:
                self.stdout.write(f"    {mitigations[mitigation_id]}")
