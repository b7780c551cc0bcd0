"""Each side's signature kept on the contract's own row becomes a signature row.

Signatures voided before this migration were cleared from the row and are not known; from
now on a voided signature stays as a row, with when and why.
"""

from django.db import migrations

SIDES = ("supplier", "buyer")


def _signer_name(user, party) -> str:
    """The name the signer was known by, as the contract tab showed it; the side's name
    where the account is gone or nobody signed on the platform (an imported contract)."""
    if user is None:
        return party.name
    if user.person_id and user.person.name:
        return user.person.name
    return f"{user.first_name} {user.last_name}".strip() or user.email


def columns_to_rows(apps, schema_editor):
    Contract = apps.get_model("procurement", "Contract")
    ContractSignature = apps.get_model("procurement", "ContractSignature")
    contracts = Contract.objects.select_related(
        "supplier", "buyer", "supplier_signed_by__person", "buyer_signed_by__person"
    )
    rows = []
    for contract in contracts.iterator(chunk_size=500):
        for side in SIDES:
            signed_at = getattr(contract, f"{side}_signed_at")
            if signed_at is None:
                continue
            party = getattr(contract, side)
            user = getattr(contract, f"{side}_signed_by")
            rows.append(
                ContractSignature(
                    contract=contract,
                    party=party,
                    signed_by=user,
                    signer_name=_signer_name(user, party)[:255],
                    signed_at=signed_at,
                )
            )
    ContractSignature.objects.bulk_create(rows, batch_size=500)


def rows_to_columns(apps, schema_editor):
    Contract = apps.get_model("procurement", "Contract")
    ContractSignature = apps.get_model("procurement", "ContractSignature")
    standing = ContractSignature.objects.filter(voided_at__isnull=True).select_related("contract")
    for signature in standing.iterator(chunk_size=500):
        contract = signature.contract
        side = "supplier" if signature.party_id == contract.supplier_id else "buyer"
        Contract.objects.filter(pk=contract.pk).update(
            **{f"{side}_signed_at": signature.signed_at, f"{side}_signed_by": signature.signed_by}
        )
    ContractSignature.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0003_contract_signature"),
    ]

    operations = [
        migrations.RunPython(columns_to_rows, rows_to_columns, elidable=True),
    ]
