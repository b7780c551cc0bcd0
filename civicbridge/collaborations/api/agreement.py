"""The MOU through the API: its terms, versions, obligations and signatures.

A change of terms (the purpose and terms, or an obligation's terms) makes a new version and
voids the signatures standing, exactly as on the agreement tab.
"""

from ninja import Query, Router, Status

from civicbridge.core.api.forms import changed, validated
from civicbridge.core.api.schemas import (
    CONFLICT_CODES,
    ERROR_CODES,
    ApiRequest,
    ErrorOut,
    Id,
    Page,
    PageParams,
    page,
)
from civicbridge.core.permissions import require

from .. import permissions, signing
from ..forms.agreement import AgreementForm, ObligationForm, SignForm, StatusForm
from ..models import AgreementVersion, Obligation, Signature
from ..queries import agreement_of
from ..services import agreement as services
from .schemas import (
    AgreementChange,
    AgreementOut,
    AgreementVersionOut,
    ObligationChange,
    ObligationIn,
    ObligationOut,
    ObligationStatusIn,
    SignatureIn,
    SignatureOut,
)

router = Router(tags=["collaborations"])


@router.get(
    "/collaborations/{collaboration_id}/agreement",
    response={200: AgreementOut, ERROR_CODES: ErrorOut},
    url_name="agreement",
)
def get_agreement(request: ApiRequest, collaboration_id: Id):
    """The MOU's current version, purpose and terms: the version both sides sign."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return agreement_of(collaboration) or {"version": 0, "purpose": "", "terms": ""}


@router.patch(
    "/collaborations/{collaboration_id}/agreement",
    response={200: AgreementOut, ERROR_CODES: ErrorOut},
    url_name="agreement_edit",
)
def change_terms(request: ApiRequest, collaboration_id: Id, payload: AgreementChange):
    """Change the purpose or terms: a new version, which voids the signatures standing."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    agreement = agreement_of(collaboration)
    initial = {"purpose": agreement.purpose, "terms": agreement.terms} if agreement else {}
    data = validated(changed(AgreementForm, payload, initial=initial))
    return services.update_terms(request.auth, collaboration, **data)


@router.get(
    "/collaborations/{collaboration_id}/agreement/versions",
    response={200: Page[AgreementVersionOut], ERROR_CODES: ErrorOut},
    url_name="agreement_versions",
)
def list_versions(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    """Every version of the MOU as it stood, oldest first, with what changed."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(AgreementVersion.objects.filter(agreement__collaboration=collaboration), params)


# Obligations


@router.get(
    "/collaborations/{collaboration_id}/obligations",
    response={200: Page[ObligationOut], ERROR_CODES: ErrorOut},
    url_name="obligations",
)
def list_obligations(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(Obligation.objects.filter(agreement__collaboration=collaboration), params)


@router.post(
    "/collaborations/{collaboration_id}/obligations",
    response={201: ObligationOut, ERROR_CODES: ErrorOut},
    url_name="obligation_create",
)
def add_obligation(request: ApiRequest, collaboration_id: Id, payload: ObligationIn):
    """Add an obligation to the MOU: a change of terms that voids earlier signatures."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    data = validated(ObligationForm(payload.dict(), collaboration=collaboration))
    return Status(201, services.add_obligation(request.auth, collaboration, **data))


@router.patch(
    "/collaborations/{collaboration_id}/obligations/{obligation_id}",
    response={200: ObligationOut, ERROR_CODES: ErrorOut},
    url_name="obligation_edit",
)
def change_obligation(
    request: ApiRequest, collaboration_id: Id, obligation_id: Id, payload: ObligationChange
):
    """Change an obligation's terms: a new version, which voids the signatures standing."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    obligation = permissions.obligation_of(collaboration, obligation_id)
    form = changed(
        ObligationForm,
        payload,
        collaboration=obligation.agreement.collaboration,
        initial={
            "party": obligation.party_id,
            "description": obligation.description,
            "owner": obligation.owner_id,
            "due_date": obligation.due_date,
        },
    )
    return services.change_obligation(request.auth, obligation, **validated(form))


@router.delete(
    "/collaborations/{collaboration_id}/obligations/{obligation_id}",
    response={204: None, ERROR_CODES: ErrorOut},
    url_name="obligation_delete",
)
def remove_obligation(request: ApiRequest, collaboration_id: Id, obligation_id: Id):
    """Take an obligation out of the MOU: a change of terms, like any other."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    obligation = permissions.obligation_of(collaboration, obligation_id)
    services.remove_obligation(request.auth, obligation)
    return Status(204, None)


@router.post(
    "/collaborations/{collaboration_id}/obligations/{obligation_id}/status",
    response={200: ObligationOut, ERROR_CODES: ErrorOut},
    url_name="obligation_status",
)
def set_obligation_status(
    request: ApiRequest, collaboration_id: Id, obligation_id: Id, payload: ObligationStatusIn
):
    """Track an obligation to done: not a change of terms, so no signature is voided."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id, edit=True)
    obligation = permissions.obligation_of(collaboration, obligation_id)
    data = validated(StatusForm(payload.dict()))
    return services.set_obligation_status(request.auth, obligation, **data)


# Signatures


@router.get(
    "/collaborations/{collaboration_id}/signatures",
    response={200: Page[SignatureOut], ERROR_CODES: ErrorOut},
    url_name="signatures",
)
def list_signatures(request: ApiRequest, collaboration_id: Id, params: Query[PageParams]):
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    return page(Signature.objects.filter(agreement__collaboration=collaboration), params)


@router.post(
    "/collaborations/{collaboration_id}/signatures",
    response={201: SignatureOut, CONFLICT_CODES: ErrorOut},
    url_name="signature_create",
)
def sign_agreement(request: ApiRequest, collaboration_id: Id, payload: SignatureIn):
    """Sign the MOU's current version for your side, re-entering your password."""
    collaboration = permissions.get_collaboration_for(request.auth, collaboration_id)
    require(permissions.can_sign(request.auth, collaboration))
    data = validated(SignForm(payload.dict()))
    data["password"] = signing.confirm_signers_password(request, request.auth, data["password"])
    return Status(201, services.sign_agreement(request.auth, collaboration, **data))
