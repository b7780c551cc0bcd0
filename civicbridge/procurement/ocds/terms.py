"""What a contracting process's compiled release says about its contract, read into plain
values, with a plain sentence for everything Civic Bridge cannot keep.

Civic Bridge keeps one contract per process, between one buyer (the institution) and one
supplier; the milestones of the planning, the tender, the contract and its implementation
(the steps of the procurement as well as the contract's own); and the money the buyer paid
the supplier, from the transactions. What else the process holds (documents, other
parties) stays in the OCDS file; the import report names each milestone or transaction it
could not keep.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ..choices import ContractStatus, MilestoneKind, MilestoneStatus
from .reading import Process, Step

AWARD_TO_CONTRACT_STATUS = {
    "pending": ContractStatus.PENDING,
    "active": ContractStatus.PENDING,  # awarded, but no contract signed yet
    "cancelled": ContractStatus.CANCELLED,
    "unsuccessful": ContractStatus.CANCELLED,
}


class Unreadable(Exception):
    """The process says too little, or too much, to be one contract here."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Party:
    """A buyer or supplier as the process names it."""

    id: str
    name: str
    scheme: str = ""
    identifier: str = ""
    legal_name: str = ""
    country: str = ""
    city: str = ""
    steps: list[Step] = field(default_factory=list)


@dataclass
class MilestoneTerms:
    ocds_id: str
    kind: str
    title: str
    description: str
    due_on: date
    status: str
    met_on: date | None
    amount: Decimal | None
    currency: str
    steps: list[Step]


@dataclass
class PaymentTerms:
    ocds_id: str
    amount: Decimal
    currency: str
    paid_on: date
    reference: str
    steps: list[Step]


@dataclass
class ContractTerms:
    """Everything the import writes for one process."""

    buyer: Party
    supplier: Party
    title: str
    description: str
    value: Decimal
    currency: str
    start_date: date
    end_date: date
    status: str
    signed_at: datetime | None
    amendment_reason: str
    milestones: list[MilestoneTerms]
    payments: list[PaymentTerms]
    left_out: list[str]
    # Where the contract's own fields come from, to name them in a problem.
    steps: list[Step]
    value_steps: list[Step]
    period_steps: list[Step]


def read_date(text: str) -> date:
    """The day a date-time falls on where it was written (schema-checked already)."""
    return datetime.fromisoformat(text.upper()).date()


def read_instant(text: str) -> datetime:
    return datetime.fromisoformat(text.upper())


def amount_of(number: Any) -> Decimal:
    """A JSON number as a Decimal: fractions arrive as Decimal, whole numbers as int."""
    return number if isinstance(number, Decimal) else Decimal(number)


def read_terms(process: Process) -> ContractTerms:
    """The contract `process` describes, or Unreadable with each reason."""
    return _Reader(process).terms()


class _Reader:
    def __init__(self, process: Process) -> None:
        self.process = process
        self.release = process.compiled
        self.problems: list[str] = []
        self.left_out: list[str] = []

    def fail(self, steps: list[Step], message: str) -> None:
        self.problems.append(self.process.problem(steps, message))

    def terms(self) -> ContractTerms:
        award, award_steps, contract, contract_steps = self._award_and_contract()
        block = contract or award
        steps = contract_steps if contract else award_steps
        buyer = self._buyer()
        supplier = self._supplier(award, award_steps)
        value, value_steps = self._value(contract, contract_steps, award, award_steps)
        start, end, period_steps = self._period(contract, contract_steps, award, award_steps)
        milestones = self._milestones(contract, contract_steps)
        payments = self._payments(contract, contract_steps, supplier)
        if self.problems:
            raise Unreadable(self.problems)
        assert buyer and supplier and value and start and end  # each failed otherwise
        status = (
            ContractStatus(contract["status"])
            if contract and contract.get("status")
            else AWARD_TO_CONTRACT_STATUS.get(award.get("status") or "", ContractStatus.PENDING)
        )
        tender = self.release.get("tender") or {}
        return ContractTerms(
            buyer=buyer,
            supplier=supplier,
            title=(block.get("title") or tender.get("title") or self.process.ocid)[:300],
            description=block.get("description") or award.get("description") or "",
            value=value[0],
            currency=value[1],
            start_date=start,
            end_date=end,
            status=status,
            signed_at=read_instant(contract["dateSigned"])
            if contract and contract.get("dateSigned")
            else None,
            amendment_reason=self._amendment_reason(contract),
            milestones=milestones,
            payments=payments,
            left_out=self.left_out,
            steps=steps,
            value_steps=value_steps,
            period_steps=period_steps,
        )

    def _award_and_contract(self) -> tuple[dict, list[Step], dict | None, list[Step]]:
        contracts = self.release.get("contracts") or []
        awards = self.release.get("awards") or []
        if len(contracts) > 1 or (not contracts and len(awards) > 1):
            raise Unreadable(
                [
                    self.process.problem(
                        ["contracts" if contracts else "awards"],
                        _(
                            "the process has %(count)d of them; Civic Bridge keeps one "
                            "contract per process, with one supplier."
                        )
                        % {"count": len(contracts) or len(awards)},
                    )
                ]
            )
        if not contracts and not awards:
            raise Unreadable(
                [
                    _(
                        "“%(ocid)s” has no award or contract yet: Civic Bridge imports a "
                        "process once a supplier is chosen."
                    )
                    % {"ocid": self.process.ocid}
                ]
            )
        contract = contracts[0] if contracts else None
        award_id = str(contract.get("awardID")) if contract else None
        award = next((a for a in awards if str(a["id"]) == award_id), awards[0] if awards else {})
        award_steps: list[Step] = ["awards", ("id", str(award["id"]))] if award else []
        contract_steps: list[Step] = ["contracts", ("id", str(contract["id"]))] if contract else []
        return award, award_steps, contract, contract_steps

    def _party(self, reference: dict | None, role: str) -> Party | None:
        parties = self.release.get("parties") or []
        found = None
        if reference and reference.get("id") is not None:
            found = next((p for p in parties if str(p.get("id")) == str(reference["id"])), None)
        if found is None and reference is None:
            found = next((p for p in parties if role in (p.get("roles") or [])), None)
        if found is None and reference is None:
            return None
        data = found or reference or {}
        ident = data.get("identifier") or {}
        address = data.get("address") or {}
        name = data.get("name") or ident.get("legalName") or ""
        return Party(
            id=str(data.get("id") or ""),
            name=name.strip()[:255],
            scheme=(ident.get("scheme") or "").strip(),
            identifier=str(ident.get("id") or "").strip(),
            legal_name=(ident.get("legalName") or "").strip()[:255],
            country=(address.get("countryName") or "")[:100],
            city=(address.get("locality") or "")[:100],
            steps=["parties", ("id", str(data.get("id")))] if found else [],
        )

    def _buyer(self) -> Party | None:
        buyer = self._party(self.release.get("buyer"), "buyer")
        if buyer is None or not buyer.name:
            self.fail(["buyer"], _("names no buyer: Civic Bridge needs to know the institution."))
            return None
        return buyer

    def _supplier(self, award: dict, award_steps: list[Step]) -> Party | None:
        suppliers = award.get("suppliers") or []
        if len(suppliers) > 1:
            self.fail(
                [*award_steps, "suppliers"],
                _("the award goes to %(count)d suppliers; Civic Bridge keeps one per contract.")
                % {"count": len(suppliers)},
            )
            return None
        supplier = self._party(suppliers[0] if suppliers else None, "supplier")
        if supplier is None or not supplier.name:
            self.fail([*award_steps, "suppliers"], _("names no supplier."))
            return None
        return supplier

    def _value(
        self, contract: dict | None, contract_steps: list, award: dict, award_steps: list
    ) -> tuple[tuple[Decimal, str] | None, list[Step]]:
        for block, steps in ((contract, contract_steps), (award, award_steps)):
            money = (block or {}).get("value") or {}
            if money.get("amount") is not None and money.get("currency"):
                amount = amount_of(money["amount"])
                if amount < 0:
                    self.fail(
                        [*steps, "value", "amount"],
                        _("a contract here is paid by the buyer: its value cannot be negative."),
                    )
                    return None, steps
                return (amount, money["currency"]), [*steps, "value"]
        self.fail(
            [*(contract_steps or award_steps), "value"],
            _(
                "gives no value with its currency: Civic Bridge needs to know what the contract is worth."
            ),
        )
        return None, contract_steps or award_steps

    def _period(
        self, contract: dict | None, contract_steps: list, award: dict, award_steps: list
    ) -> tuple[date | None, date | None, list[Step]]:
        tender = self.release.get("tender") or {}
        for block, key, steps in (
            (contract, "period", contract_steps),
            (award, "contractPeriod", award_steps),
            (tender, "contractPeriod", ["tender"]),
        ):
            period = (block or {}).get(key) or {}
            if period.get("startDate") and period.get("endDate"):
                return read_date(period["startDate"]), read_date(period["endDate"]), [*steps, key]
        self.fail(
            [*(contract_steps or award_steps), "period"],
            _("gives no start and end dates of the contract."),
        )
        return None, None, contract_steps or award_steps

    def _amendment_reason(self, contract: dict | None) -> str:
        amendments = (contract or {}).get("amendments") or []
        reasons = [a.get("rationale") or a.get("description") or "" for a in amendments]
        return next((reason for reason in reversed(reasons) if reason), "")

    def _milestones(self, contract: dict | None, contract_steps: list) -> list[MilestoneTerms]:
        """The milestones of the planning, the tender, the contract and its implementation.

        Ids are unique within one list only. A milestone of a later list replaces one of
        the same id and the same side (a step of the procurement, or the contract's own):
        the implementation repeats the contract's milestones to say how they went.
        """
        blocks: list[tuple[dict, list[Step]]] = [
            (self.release.get("planning") or {}, ["planning"]),
            (self.release.get("tender") or {}, ["tender"]),
        ]
        if contract is not None:
            blocks += [
                (contract, contract_steps),
                (contract.get("implementation") or {}, [*contract_steps, "implementation"]),
            ]
        kept: dict[tuple[bool, str], MilestoneTerms] = {}
        for block, block_steps in blocks:
            for item in block.get("milestones") or []:
                read = self._milestone(item, [*block_steps, "milestones", ("id", str(item["id"]))])
                if read is not None:
                    kept[(read.kind in MilestoneKind.procurement(), read.ocds_id)] = read
        return list(kept.values())

    def _milestone(self, item: dict, steps: list[Step]) -> MilestoneTerms | None:
        kind = item.get("type")
        title = (item.get("title") or item.get("description") or str(item["id"]))[:300]
        if kind not in MilestoneKind.values:
            self.left_out.append(
                _("the milestone “%(title)s” of type “%(type)s”, a type Civic Bridge does not know")
                % {"title": title, "type": kind}
                if kind
                else _("the milestone “%(title)s”, which has no type") % {"title": title}
            )
            return None
        due = item.get("dueDate") or item.get("dateMet")
        if not due:
            self.left_out.append(
                _("the milestone “%(title)s”, which has no due date") % {"title": title}
            )
            return None
        money = item.get("value") or {}
        if kind == MilestoneKind.PAYMENT and money.get("amount") is None:
            self.left_out.append(
                _("the payment milestone “%(title)s”, which does not say how much is due")
                % {"title": title}
            )
            return None
        status = item.get("status") or MilestoneStatus.SCHEDULED
        met = item.get("dateMet")
        return MilestoneTerms(
            ocds_id=str(item["id"])[:100],
            kind=kind,
            title=title,
            description=item.get("description") or "",
            due_on=read_date(due),
            status=status,
            met_on=read_date(met) if met and status == MilestoneStatus.MET else None,
            amount=amount_of(money["amount"]) if money.get("amount") is not None else None,
            currency=money.get("currency") or "",
            steps=steps,
        )

    def _payments(
        self, contract: dict | None, contract_steps: list, supplier: Party | None
    ) -> list[PaymentTerms]:
        if contract is None:
            return []
        payments = []
        transactions = (contract.get("implementation") or {}).get("transactions") or []
        for item in transactions:
            steps: list[Step] = [
                *contract_steps,
                "implementation",
                "transactions",
                ("id", str(item["id"])),
            ]
            payee = item.get("payee") or {}
            if supplier and payee.get("id") and str(payee["id"]) != supplier.id:
                self.left_out.append(
                    _("the transaction “%(id)s” to %(payee)s, who is not the supplier")
                    % {"id": item["id"], "payee": payee.get("name") or payee["id"]}
                )
                continue
            money = item.get("value") or item.get("amount") or {}
            if money.get("amount") is None or not money.get("currency") or not item.get("date"):
                self.fail(steps, _("a payment needs its date, amount and currency."))
                continue
            payments.append(
                PaymentTerms(
                    ocds_id=str(item["id"])[:100],
                    amount=amount_of(money["amount"]),
                    currency=money["currency"],
                    paid_on=read_date(item["date"]),
                    reference=(item.get("uri") or "")[:200],
                    steps=steps,
                )
            )
        return payments
