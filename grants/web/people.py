"""Users and their roles, kept by an admin: add someone, change their role, give them
new credentials, deactivate them. Credentials are made up here and shown once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from grants.access import ADMIN
from grants.bootstrap import Services
from grants.users import Credentials, Role, User, UserRefused
from grants.web.forms import Field, Form, FormPage, Refused, Section
from grants.web.i18n import Translator
from grants.web.layout import page, translator


def _roles(t: Translator) -> list[tuple[str, str]]:
    return [(role.value, t(f"role.{role.value}")) for role in Role]


@get("/users", guards=[ADMIN], sync_to_thread=True)
def people_page(
    request: Request[User, Any, Any],
    services: NamedDependency[Services],
    saved: FromQuery[bool] = False,
) -> Template:
    return page(request, "people.html", people=services.users.people(), saved=saved)


def _add_form(t: Translator) -> FormPage:
    return FormPage(
        title=t("form.user_add"),
        action="/users/new",
        submit=t("form.user_add"),
        cancel="/users",
        sections=[
            Section(
                [
                    Field("name", t("field.user_name"), hint=t("hint.user_name")),
                    Field("role", t("field.role"), "select", _roles(t)),
                ]
            )
        ],
        intro=t("users.credentials_once"),
    )


def _role_form(t: Translator, name: str, role: Role) -> FormPage:
    return FormPage(
        title=t("form.user_role", name=name),
        action=f"/users/{name}/role",
        submit=t("common.save"),
        cancel="/users",
        sections=[Section([Field("role", t("field.role"), "select", _roles(t))])],
        values={"role": role.value},
    )


def _confirm_form(t: Translator, name: str, change: str) -> FormPage:
    """Reset and deactivation take no input: the form only confirms."""
    return FormPage(
        title=t(f"form.user_{change}", name=name),
        action=f"/users/{name}/{change}",
        submit=t(f"form.user_{change}", name=name),
        cancel="/users",
        sections=[],
        intro=t(f"users.{change}_intro", name=name),
    )


def _answer(
    request: Request[User, Any, Any],
    data: dict[str, str],
    form_page: FormPage,
    change: Callable[[Form], Credentials | None],
) -> Template | Redirect:
    """The credentials made, or the list; the form again with the refusal."""
    t = translator(request)
    form = Form(data, t, form_page)
    try:
        made = change(form)
    except Refused:
        made = None
    except UserRefused as refused:
        form.refuse(refused.field if form_page.known(refused.field) else "", t(refused.key))
    if form_page.errors:
        return page(request, "form.html", status_code=422, form=form_page)
    if made is not None:
        shown = page(request, "credentials.html", credentials=made)
        shown.headers["Cache-Control"] = "no-store"  # nor kept in any cache or history
        return shown
    return Redirect("/users?saved=true", status_code=303)


@get("/users/new", guards=[ADMIN])
async def add_page(request: Request[User, Any, Any]) -> Template:
    return page(request, "form.html", form=_add_form(translator(request)))


@post("/users/new", guards=[ADMIN], sync_to_thread=True, status_code=200)
def add(
    request: Request[User, Any, Any],
    services: NamedDependency[Services],
    data: URLEncodedBody[dict[str, str]],
) -> Template | Redirect:
    def change(form: Form) -> Credentials:
        name = form.text("name").lower()
        role = form.choice("role", Role)
        form.check()
        assert role is not None
        return services.users.add(name, role, by=request.user.name)

    return _answer(request, data, _add_form(translator(request)), change)


def _someone(services: Services, name: str) -> Role:
    person = services.users.person(name)
    if person is None or not person.active:
        raise NotFoundException(f"no active user is called {name}")
    return person.role


@get("/users/{name:str}/role", guards=[ADMIN], sync_to_thread=True)
def role_page(
    request: Request[User, Any, Any], name: FromPath[str], services: NamedDependency[Services]
) -> Template:
    role = _someone(services, name)
    return page(request, "form.html", form=_role_form(translator(request), name, role))


@post("/users/{name:str}/role", guards=[ADMIN], sync_to_thread=True, status_code=303)
def change_role(
    request: Request[User, Any, Any],
    name: FromPath[str],
    services: NamedDependency[Services],
    data: URLEncodedBody[dict[str, str]],
) -> Template | Redirect:
    form_page = _role_form(translator(request), name, _someone(services, name))

    def change(form: Form) -> None:
        role = form.choice("role", Role)
        form.check()
        assert role is not None
        services.users.change_role(name, role, by=request.user.name)

    return _answer(request, data, form_page, change)


def _confirm_page(
    request: Request[User, Any, Any], services: Services, name: str, change: str
) -> Template:
    if services.users.person(name) is None:
        raise NotFoundException(f"no user is called {name}")
    return page(request, "form.html", form=_confirm_form(translator(request), name, change))


@get("/users/{name:str}/reset", guards=[ADMIN], sync_to_thread=True)
def reset_page(
    request: Request[User, Any, Any], name: FromPath[str], services: NamedDependency[Services]
) -> Template:
    return _confirm_page(request, services, name, "reset")


@get("/users/{name:str}/deactivate", guards=[ADMIN], sync_to_thread=True)
def deactivate_page(
    request: Request[User, Any, Any], name: FromPath[str], services: NamedDependency[Services]
) -> Template:
    return _confirm_page(request, services, name, "deactivate")


@post("/users/{name:str}/reset", guards=[ADMIN], sync_to_thread=True, status_code=200)
def reset(
    request: Request[User, Any, Any],
    name: FromPath[str],
    services: NamedDependency[Services],
    data: URLEncodedBody[dict[str, str]],
) -> Template | Redirect:
    form_page = _confirm_form(translator(request), name, "reset")
    return _answer(
        request, data, form_page, lambda _: services.users.reset(name, by=request.user.name)
    )


@post("/users/{name:str}/deactivate", guards=[ADMIN], sync_to_thread=True, status_code=303)
def deactivate(
    request: Request[User, Any, Any],
    name: FromPath[str],
    services: NamedDependency[Services],
    data: URLEncodedBody[dict[str, str]],
) -> Template | Redirect:
    form_page = _confirm_form(translator(request), name, "deactivate")
    return _answer(
        request, data, form_page, lambda _: services.users.deactivate(name, by=request.user.name)
    )


PEOPLE_PAGES = [
    people_page,
    add_page,
    add,
    role_page,
    change_role,
    reset_page,
    reset,
    deactivate_page,
    deactivate,
]
