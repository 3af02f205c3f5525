"""English and French: the words of the web pages, and money, numbers and dates written
as people read them in each language (``$1,234,567.89``, ``1 234 567,89 $``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

from grants import money
from grants.domain.indicators import CATALOGUE
from grants.domain.reference import DEPARTMENTS, Pillar


class Language(StrEnum):
    EN = "en"
    FR = "fr"

    @property
    def other(self) -> Language:
        return Language.FR if self is Language.EN else Language.EN


# French groups digits with a no-break space and puts the dollar sign after the amount,
# separated by one too, so that neither figure nor sign is ever left alone on a line.
NBSP = "\u00a0"

MESSAGES: dict[str, tuple[str, str]] = {
    # Layout
    "site.title": ("Grants tracker", "Suivi des subventions"),
    "site.strategy": (
        "National Strategy to Combat Human Trafficking",
        "Stratégie nationale de lutte contre la traite des personnes",
    ),
    "site.skip": ("Skip to main content", "Passer au contenu principal"),
    "site.language": ("Français", "English"),
    "site.signed_in_as": ("Signed in as {name} ({role})", "Connecté : {name} ({role})"),
    "site.sign_out": ("Sign out", "Se déconnecter"),
    "site.menu": ("Menu", "Menu"),
    "site.footer": (
        "Government of Canada grants and contributions",
        "Subventions et contributions du gouvernement du Canada",
    ),
    "nav.dashboard": ("Funding by pillar", "Financement par pilier"),
    "nav.outcomes": ("Outcomes", "Résultats"),
    "nav.programs": ("Programs", "Programmes"),
    "nav.calls": ("Calls for proposals", "Appels de propositions"),
    "nav.projects": ("Projects", "Projets"),
    "nav.payments": ("Payments to release", "Paiements à libérer"),
    "nav.reconciliations": ("Ledger reconciliation", "Rapprochement du grand livre"),
    "nav.year_end": ("Year-end", "Fin d'exercice"),
    "nav.exports": ("Open data", "Données ouvertes"),
    # Roles
    "role.program_officer": ("program officer", "agent de programme"),
    "role.finance_officer": ("finance officer", "agent des finances"),
    "role.strategy_analyst": ("Strategy analyst", "analyste de la Stratégie"),
    "role.admin": ("administrator", "administrateur"),
    # Signing in
    "signin.title": ("Sign in", "Se connecter"),
    "signin.username": ("Username", "Nom d'utilisateur"),
    "signin.password": ("Password", "Mot de passe"),
    "signin.submit": ("Sign in", "Se connecter"),
    "signin.refused": (
        "The username or password is not right.",
        "Le nom d'utilisateur ou le mot de passe est incorrect.",
    ),
    "signin.signed_out": ("You are signed out.", "Vous êtes déconnecté."),
    "signin.locked": (
        "Too many failed sign-in attempts. Try again in {wait}.",
        "Trop de tentatives de connexion infructueuses. Réessayez dans {wait}.",
    ),
    "wait.second": ("1 second", "1 seconde"),
    "wait.seconds": ("{n} seconds", "{n} secondes"),
    "wait.minute": ("1 minute", "1 minute"),
    "wait.minutes": ("{n} minutes", "{n} minutes"),
    # Errors
    "error.title": ("Something went wrong", "Un problème est survenu"),
    "error.forbidden": (
        "Your role does not allow this page or action.",
        "Votre rôle ne permet pas cette page ni cette action.",
    ),
    "error.not_found": ("This page does not exist.", "Cette page n'existe pas."),
    "error.csrf": (
        "The form has expired. Go back, reload the page and send it again.",
        "Le formulaire a expiré. Revenez en arrière, rechargez la page et envoyez-le de nouveau.",
    ),
    "error.unavailable": (
        "The tracker cannot reach its database just now. Nothing was lost: "
        "try again in a few seconds.",
        "Le système de suivi ne joint pas sa base de données pour le moment. Rien n'est "
        "perdu : réessayez dans quelques secondes.",
    ),
    "error.unexpected": (
        "An unexpected error occurred; it was logged.",
        "Une erreur inattendue s'est produite; elle a été consignée.",
    ),
    "error.summary": (
        "The form was not saved: correct what is marked",
        "Le formulaire n'a pas été enregistré : corrigez ce qui est signalé",
    ),
    "error.required": ("This field is required.", "Ce champ est obligatoire."),
    "error.money": (
        "Write an amount in dollars as 1,234.56 or 1234.56.",
        "Inscrivez un montant en dollars comme 1 234,56 ou 1234,56.",
    ),
    "error.whole_number": ("Write a whole number.", "Inscrivez un nombre entier."),
    "error.date": ("Write a date as YYYY-MM-DD.", "Inscrivez une date au format AAAA-MM-JJ."),
    "error.choice": ("Choose one of the options.", "Choisissez une des options."),
    "error.detail": ("Detail", "Détail"),
    # Common words
    "common.all": ("All", "Tous"),
    "common.filter": ("Filter", "Filtrer"),
    "common.save": ("Save", "Enregistrer"),
    "common.cancel": ("Cancel", "Annuler"),
    "common.download_csv": ("Download this table (CSV)", "Télécharger ce tableau (CSV)"),
    "common.total": ("Total", "Total"),
    "common.none": ("None yet.", "Aucun pour l'instant."),
    "common.optional": ("optional", "facultatif"),
    "common.previous": ("Previous page", "Page précédente"),
    "common.next": ("Next page", "Page suivante"),
    "common.saved": ("Saved.", "Enregistré."),
    # Figures and their labels
    "field.fiscal_year": ("Fiscal year", "Exercice"),
    "field.department": ("Department", "Ministère"),
    "field.pillar": ("Pillar", "Pilier"),
    "field.program": ("Program", "Programme"),
    "field.status": ("Status", "État"),
    "field.committed": ("Committed", "Engagé"),
    "field.disbursed": ("Disbursed", "Versé"),
    "field.outstanding": ("Outstanding", "Non versé"),
    "field.projects": ("Projects", "Projets"),
    "field.allocation": ("Allocation", "Affectation"),
    "field.available": ("Available", "Disponible"),
    "field.indicator": ("Indicator", "Indicateur"),
    "field.reported_total": ("Total reported", "Total déclaré"),
    "field.projects_reporting": ("Projects reporting", "Projets déclarants"),
    "field.title": ("Title", "Titre"),
    "field.recipient": ("Recipient", "Bénéficiaire"),
    "field.requested": ("Amount requested ($)", "Montant demandé ($)"),
    "field.value": ("Value", "Valeur"),
    "field.holdback": ("Holdback", "Retenue"),
    "field.transfer_type": ("Type", "Type"),
    "field.pillars": ("Pillars", "Piliers"),
    "field.opens_on": ("Opens", "Ouverture"),
    "field.closes_on": ("Closes", "Clôture"),
    "field.budget": ("Budget", "Budget"),
    "field.received_on": ("Received", "Reçue le"),
    "field.amount": ("Amount", "Montant"),
    "field.kind": ("Kind", "Genre"),
    "field.certified_by": ("Certified by", "Attesté par"),
    "field.requested_on": ("Certified on", "Attesté le"),
    "field.released_by": ("Released by", "Libéré par"),
    "field.payment_ref": ("Financial system reference", "Référence du système financier"),
    "field.paid_on": ("Paid on", "Payé le"),
    "field.when": ("When", "Quand"),
    "field.who": ("Who", "Qui"),
    "field.what": ("What", "Quoi"),
    "field.recorded_at": ("Recorded", "Consigné"),
    "field.score": ("Score (0 to 100)", "Note (0 à 100)"),
    "field.recommendation": ("Recommendation", "Recommandation"),
    "field.effective_on": ("Date", "Date"),
    "field.call": ("Call for proposals", "Appel de propositions"),
    "field.legal_name": ("Recipient's legal name", "Dénomination sociale du bénéficiaire"),
    "field.province": ("Province or territory", "Province ou territoire"),
    "field.business_number": ("Business number", "Numéro d'entreprise"),
    "field.title_en": ("Title in English", "Titre en anglais"),
    "field.title_fr": ("Title in French", "Titre en français"),
    "field.cash_flow_year": ("Fiscal year {n}", "Exercice {n}"),
    "field.cash_flow_amount": ("Amount for year {n} ($)", "Montant de l'exercice {n} ($)"),
    "field.payment_amount": ("Amount ($)", "Montant ($)"),
    "field.signed_on": ("Signed on", "Signée le"),
    "field.start_on": ("Starts on", "Début"),
    "field.end_on": ("Ends on", "Fin"),
    "field.payment_basis": ("Payment basis", "Mode de paiement"),
    "field.holdback_percent": ("Holdback (%)", "Retenue (%)"),
    "field.disclosure": (
        "For the open-data disclosure of grants and contributions",
        "Pour la divulgation proactive des subventions et contributions",
    ),
    "field.agreement_number": ("Agreement number", "Numéro de l'entente"),
    "field.recipient_type": ("Recipient type", "Type de bénéficiaire"),
    "field.recipient_city": ("Recipient's city", "Ville du bénéficiaire"),
    "field.recipient_postal_code": ("Recipient's postal code", "Code postal du bénéficiaire"),
    "field.description_en": ("Description in English", "Description en anglais"),
    "field.description_fr": ("Description in French", "Description en français"),
    "field.expected_results_en": ("Expected results in English", "Résultats attendus en anglais"),
    "field.expected_results_fr": ("Expected results in French", "Résultats attendus en français"),
    "recipient_type.F": ("For-profit organization", "Organisme à but lucratif"),
    "recipient_type.N": (
        "Not-for-profit organization or charity",
        "Organisme sans but lucratif ou organisme de bienfaisance",
    ),
    "recipient_type.S": ("Academia", "Établissement universitaire"),
    "recipient_type.A": ("Indigenous recipient", "Bénéficiaire autochtone"),
    "recipient_type.G": ("Government", "Gouvernement"),
    "recipient_type.I": (
        "International (non-government)",
        "Organisation internationale (non gouvernementale)",
    ),
    "recipient_type.P": (
        "Individual or sole proprietorship",
        "Particulier ou entreprise individuelle",
    ),
    "recipient_type.O": ("Other", "Autre"),
    "hint.date": ("YYYY-MM-DD", "AAAA-MM-JJ"),
    "hint.fiscal_year": ("As 2025-26", "Par exemple 2025-26"),
    "hint.cash_flow": (
        "Leave the lines you do not need empty.",
        "Laissez vides les lignes inutiles.",
    ),
    "hint.amendment": (
        "Fill in only what changes; a new cash flow replaces the whole cash flow.",
        "Ne remplissez que ce qui change; un nouvel échéancier remplace tout l'échéancier.",
    ),
    "hint.results": (
        "Leave empty the indicators you do not report.",
        "Laissez vides les indicateurs non déclarés.",
    ),
    "option.grant": ("Grant", "Subvention"),
    "option.contribution": ("Contribution", "Contribution"),
    "option.advance": ("Advance", "Avance"),
    "option.reimbursement": ("Reimbursement", "Remboursement"),
    "option.claim": ("Claim", "Demande de remboursement"),
    "option.holdback": ("Holdback", "Retenue"),
    "option.default_kind": ("As the agreement says", "Selon l'entente"),
    "option.no_call": ("No call", "Aucun appel"),
    # Statuses
    "status.received": ("Received", "Reçue"),
    "status.assessed": ("Assessed", "Évaluée"),
    "status.approved": ("Approved", "Approuvée"),
    "status.rejected": ("Rejected", "Refusée"),
    "status.withdrawn": ("Withdrawn", "Retirée"),
    "status.under_agreement": ("Under agreement", "Entente signée"),
    "status.final_report_accepted": ("Final report accepted", "Rapport final accepté"),
    "status.closed": ("Closed", "Fermé"),
    # Events, for the timeline
    "event.ApplicationReceived": ("Application received", "Demande reçue"),
    "event.ApplicationAssessed": ("Application assessed", "Demande évaluée"),
    "event.ApplicationApproved": ("Application approved", "Demande approuvée"),
    "event.ApplicationRejected": ("Application rejected", "Demande refusée"),
    "event.ApplicationWithdrawn": ("Application withdrawn", "Demande retirée"),
    "event.AgreementSigned": ("Agreement signed", "Entente signée"),
    "event.AgreementAmended": ("Agreement amended", "Entente modifiée"),
    "event.CashFlowReprofiled": ("Cash flow reprofiled", "Échéancier reporté"),
    "event.PaymentRequested": ("Payment certified", "Paiement attesté"),
    "event.DisbursementReleased": ("Payment released", "Paiement libéré"),
    "event.HoldbackReleased": ("Holdback released", "Retenue libérée"),
    "event.OverpaymentRecovered": ("Overpayment recovered", "Trop-payé recouvré"),
    "event.ResultsReported": ("Results reported", "Résultats déclarés"),
    "event.FinalReportAccepted": ("Final report accepted", "Rapport final accepté"),
    "event.ProjectClosed": ("Project closed", "Projet fermé"),
    # Strategy pages
    "dashboard.title": ("Funding by pillar", "Financement par pilier"),
    "dashboard.chart": (
        "Committed and disbursed funding by pillar",
        "Financement engagé et versé par pilier",
    ),
    "dashboard.table": ("Funding by pillar", "Financement par pilier"),
    "dashboard.trend": (
        "Disbursements by fiscal year",
        "Versements par exercice",
    ),
    "dashboard.trend_chart": (
        "Disbursed funding by fiscal year",
        "Financement versé par exercice",
    ),
    "outcomes.title": ("Outcomes by pillar", "Résultats par pilier"),
    # Program side
    "programs.title": ("Programs", "Programmes"),
    "programs.years": (
        "Allocations and commitments by fiscal year",
        "Affectations et engagements par exercice",
    ),
    "programs.calls": ("Calls for proposals", "Appels de propositions"),
    "calls.title": ("Calls for proposals", "Appels de propositions"),
    "calls.open": ("Open", "Ouvert"),
    "calls.closed_on": ("Closed on {day}", "Fermé le {day}"),
    "projects.title": ("Projects", "Projets"),
    "projects.count": ("{count} projects", "{count} projets"),
    "projects.new": ("Record an application", "Consigner une demande"),
    "projects.search_recipient": ("Recipient (part of the name)", "Bénéficiaire (partie du nom)"),
    "project.summary": ("State", "État"),
    "project.cash_flow": ("Cash flow", "Échéancier"),
    "project.payments": ("Payment requests", "Demandes de paiement"),
    "project.results": ("Results", "Résultats"),
    "project.timeline": ("Timeline", "Historique"),
    "project.actions": ("Record", "Consigner"),
    "project.awaiting": ("Awaiting release", "En attente de libération"),
    "action.assessment": ("Assessment", "Évaluation"),
    "action.approval": ("Approval", "Approbation"),
    "action.agreement": ("Agreement", "Entente"),
    "action.amendment": ("Amendment", "Modification"),
    "action.payment_request": ("Payment request", "Demande de paiement"),
    "action.results": ("Results", "Résultats"),
    "form.application": ("Record an application", "Consigner une demande"),
    "form.assessment": ("Record the assessment", "Consigner l'évaluation"),
    "form.approval": ("Approve, with the cash flow", "Approuver, avec l'échéancier"),
    "form.agreement": ("Record the signed agreement", "Consigner l'entente signée"),
    "form.amendment": ("Amend the agreement", "Modifier l'entente"),
    "form.payment_request": ("Certify a payment request", "Attester une demande de paiement"),
    "form.results": ("Report results", "Déclarer des résultats"),
    "form.release": ("Release the payment", "Libérer le paiement"),
    # Finance
    "payments.title": ("Payments to release", "Paiements à libérer"),
    "payments.release": ("Release", "Libérer"),
    "payments.released": (
        "Payment {ref} released.",
        "Paiement {ref} libéré.",
    ),
    "payments.release_label": (
        "Release the payment to {recipient}",
        "Libérer le paiement à {recipient}",
    ),
    "reconciliations.title": ("Ledger reconciliation", "Rapprochement du grand livre"),
    "reconciliations.upload": ("Upload a ledger", "Téléverser un grand livre"),
    "reconciliations.send": ("Upload and reconcile", "Téléverser et rapprocher"),
    "reconciliations.uploads": ("Ledgers uploaded", "Grands livres téléversés"),
    "reconciliations.no_queue": (
        "No job queue is running: the ledger was not kept. Ask for the worker to be started.",
        "Aucune file de tâches n'est en marche : le grand livre n'a pas été conservé. "
        "Demandez le démarrage du processus de traitement.",
    ),
    "reconciliations.working": (
        "{lines} ledger lines are being reconciled; this page follows the job.",
        "{lines} lignes du grand livre sont en cours de rapprochement; cette page suit la tâche.",
    ),
    "reconciliations.refresh": ("Refresh", "Actualiser"),
    "reconciliations.status": ("Status:", "État :"),
    "reconciliations.report": ("Reconciliation of {file}", "Rapprochement de {file}"),
    "reconciliations.by_class": ("Lines by class", "Lignes par catégorie"),
    "reconciliations.differences": ("Differences", "Écarts"),
    "reconciliations.differences_csv": (
        "Download the differences (CSV)",
        "Télécharger les écarts (CSV)",
    ),
    "reconciliations.failed": ("The job failed:", "La tâche a échoué :"),
    "reconciliations.retry": ("Run it again", "Relancer le rapprochement"),
    "reconciliations.no_file": ("(no file name)", "(sans nom de fichier)"),
    "reconciliation.queued": ("Queued", "En attente"),
    "reconciliation.running": ("Running", "En cours"),
    "reconciliation.done": ("Done", "Terminé"),
    "reconciliation.failed": ("Failed", "Échoué"),
    "class.matched": ("Matched", "Concordants"),
    "class.amount_mismatch": ("Amount differs", "Montant différent"),
    "class.date_mismatch": ("Date differs", "Date différente"),
    "class.ledger_only": ("In the ledger only", "Au grand livre seulement"),
    "class.tracker_only": ("In the tracker only", "Au système de suivi seulement"),
    "class.duplicate": ("Duplicate in the ledger", "En double au grand livre"),
    "field.ledger": ("Ledger (CSV file)", "Grand livre (fichier CSV)"),
    "hint.ledger": (
        "Columns payment_ref, amount and paid_on; recipient and agreement_number optional.",
        "Colonnes payment_ref, amount et paid_on; recipient et agreement_number facultatives.",
    ),
    "field.file": ("File", "Fichier"),
    "field.uploaded_by": ("Uploaded by", "Téléversé par"),
    "field.uploaded_at": ("Uploaded", "Téléversé le"),
    "field.checksum": ("Checksum (SHA-256)", "Somme de contrôle (SHA-256)"),
    "field.lines": ("Lines", "Lignes"),
    "field.differences": ("Differences", "Écarts"),
    "field.class": ("Class", "Catégorie"),
    "field.ledger_line": ("Ledger line", "Ligne du grand livre"),
    "field.ledger_amount": ("Ledger amount", "Montant au grand livre"),
    "field.ledger_paid_on": ("Ledger date", "Date au grand livre"),
    "field.tracker_amount": ("Tracker amount", "Montant au suivi"),
    "field.tracker_paid_on": ("Tracker date", "Date au suivi"),
    "field.finished_at": ("Finished", "Terminé le"),
    # Year-end
    "year_end.title": ("Fiscal year-end", "Fin d'exercice"),
    "year_end.programs": ("Year-end by program", "Fin d'exercice par programme"),
    "year_end.deadlines": ("Deadlines", "Échéances"),
    "year_end.as_of": ("As of {day}.", "En date du {day}."),
    "year_end.not_worked_out": (
        "The deadlines have not been worked out yet: the worker does so each night.",
        "Les échéances n'ont pas encore été calculées : le processus de traitement le fait "
        "chaque nuit.",
    ),
    "year_end.ending": (
        "Agreements ending within 90 days",
        "Ententes se terminant d'ici 90 jours",
    ),
    "year_end.overdue": ("Results reports overdue", "Rapports de résultats en retard"),
    "field.uncommitted": ("Uncommitted", "Non engagé"),
    "field.unpaid": ("Committed, unpaid", "Engagé, non versé"),
    "field.payable_at_year_end": ("Payable at year-end", "Créditeurs à la fin de l'exercice"),
    "field.holdback_retained": ("Holdbacks retained", "Retenues conservées"),
    "field.lapsing": ("Lapsing unless reprofiled", "Périmé sauf report"),
    "field.due_on": ("Due", "Échéance"),
    # Open data
    "exports.title": ("Open data", "Données ouvertes"),
    "exports.disclosure": (
        "Proactive disclosure of grants and contributions",
        "Divulgation proactive des subventions et contributions",
    ),
    "exports.disclosure_intro": (
        "The Government of Canada's open-data table, a CSV file per fiscal year: agreements "
        "over $25,000 signed or amended in the year.",
        "La table de données ouvertes du gouvernement du Canada, un fichier CSV par exercice : "
        "les ententes de plus de 25 000 $ signées ou modifiées dans l'exercice.",
    ),
    "exports.disclosure_link": (
        "Proactive disclosure {year} (CSV)",
        "Divulgation proactive {year} (CSV)",
    ),
    "exports.giving360": ("360Giving", "360Giving"),
    "exports.giving360_intro": (
        "Every grant awarded, with its commitments and disbursements, in the 360Giving "
        "data standard.",
        "Chaque subvention accordée, avec ses engagements et ses versements, selon la norme "
        "de données 360Giving.",
    ),
    "exports.giving360_link": (
        "All grants (360Giving JSON)",
        "Toutes les subventions (JSON 360Giving)",
    ),
    "exports.publication_details_missing": (
        "The disclosure for {year} cannot be written yet:",
        "La divulgation de {year} ne peut pas encore être produite :",
    ),
    "exports.nothing_to_publish": (
        "No grant was awarded yet: there is nothing to publish.",
        "Aucune subvention n'a encore été accordée : il n'y a rien à publier.",
    ),
}

# A refused command's rule, by the error's ``code``, for the French pages: the domain
# explains itself in English, which the French pages show as the detail.
RULES_FR: dict[str, str] = {
    "invalid_value": "Valeur invalide.",
    "invalid_amount": "Montant invalide.",
    "invalid_cash_flow": "Échéancier invalide.",
    "invalid_dates": "Dates incohérentes.",
    "invalid_pillar": "Ce pilier n'est pas financé ici.",
    "invalid_fiscal_year": "Exercice invalide : écrivez-le comme 2021-22.",
    "unknown_indicator": "Indicateur inconnu.",
    "unknown_payment_request": "Demande de paiement inconnue.",
    "unknown_reference": "Référence inconnue.",
    "status_forbids": "L'état du projet ne le permet pas.",
    "allocation_exceeded": "L'affectation du programme serait dépassée.",
    "allocation_below_commitments": "L'affectation serait inférieure aux engagements.",
    "approval_exceeds_request": "L'approbation dépasse le montant demandé.",
    "cash_flow_exceeded": "L'échéancier de l'exercice serait dépassé.",
    "cash_flow_below_spending": "L'échéancier serait inférieur aux paiements.",
    "cash_flow_outside_agreement": "L'échéancier sort de la période de l'entente.",
    "holdback_not_released": "La retenue n'est pas encore libérable.",
    "agreement_not_signed": "Aucune entente n'est signée à cette date.",
    "project_closed": "Le projet est fermé.",
    "payment_already_released": "Ce paiement est déjà libéré.",
    "payment_outside_fiscal_year": "La date de paiement sort de l'exercice.",
    "payments_pending": "Des paiements attendent leur libération.",
    "recovery_exceeds_disbursed": "Le recouvrement dépasse les versements.",
    "results_missing": "Des résultats doivent d'abord être déclarés.",
    "call_not_open": "L'appel n'est pas ouvert à cette date.",
    "segregation_of_duties": (
        "Séparation des tâches : la personne qui atteste un paiement ne peut pas le libérer."
    ),
    "stale_version": "Le projet a changé depuis l'ouverture du formulaire : rechargez-le.",
    "concurrent_update": "D'autres modifications sont en cours : réessayez.",
    "ledger_unreadable": "Le fichier ne peut pas être lu.",
}


class Named(Protocol):
    @property
    def name_en(self) -> str: ...
    @property
    def name_fr(self) -> str: ...


class Translator:
    """The words and formats of one language, for one request's pages."""

    def __init__(self, language: Language) -> None:
        self.language = language

    def __call__(self, key: str, **values: Any) -> str:
        en, fr = MESSAGES[key]
        text = fr if self.language is Language.FR else en
        return text.format(**values) if values else text

    def money(self, cents: int) -> str:
        return money.shown(cents, self.language)

    def number(self, value: int) -> str:
        text = f"{value:,}"
        return text.replace(",", NBSP) if self.language is Language.FR else text

    def day(self, value: date | None) -> str:
        # ISO 8601 is the Government of Canada's numeric date in both languages.
        return value.isoformat() if value else ""

    def instant(self, value: datetime) -> str:
        return value.astimezone().strftime("%Y-%m-%d %H:%M")

    def wait(self, seconds: int) -> str:
        """A wait as people say it: ``30 seconds``, or in minutes rounded up from one
        minute on (a time of day would be the server's, not the reader's)."""
        if seconds < 60:
            return self("wait.second") if seconds == 1 else self("wait.seconds", n=seconds)
        minutes = -(-seconds // 60)
        return self("wait.minute") if minutes == 1 else self("wait.minutes", n=minutes)

    def name(self, named: Named | Mapping[str, str] | Any) -> str:
        """The French or English name of anything that has both (an object or a row);
        the English one where the French is missing."""
        get = named.get if isinstance(named, Mapping) else lambda key: getattr(named, key, "")
        if self.language is Language.FR and (french := get("name_fr") or get("title_fr")):
            return str(french)
        return str(get("name_en") or get("title_en"))

    def pillar(self, code: str) -> str:
        return self.name(Pillar(code))

    def department(self, code: str) -> str:
        names = DEPARTMENTS.get(code)
        if names is None:
            return code
        return names[1] if self.language is Language.FR else names[0]

    def indicator(self, code: str) -> str:
        indicator = CATALOGUE.get(code)
        return self.name(indicator) if indicator else code

    def rule(self, code: str, message: str) -> tuple[str, str | None]:
        """What a refusal says: the rule's message and, in French, the domain's English
        explanation as its detail (marked ``lang="en"`` by the page)."""
        if self.language is Language.FR and code in RULES_FR:
            return RULES_FR[code], message
        return message, None
