"""Demo public site for `manage.py seed_demo`. Idempotent: a second run changes nothing."""

from __future__ import annotations

from wagtail.models import Page, Site

from members.models import Partnership

from .models import HomePage, MNVPPage, SiteContact, StandardPage, VolunteerSignupPage

HOME_INTRO = (
    "<p>We bring together families who have used maternity and neonatal care and the people who plan "
    "and provide it, so that care gets better for everyone. Find your local Maternity and Neonatal "
    "Voices Partnership below.</p>"
)


def seed_public_site(partnerships: list[Partnership]) -> HomePage:
    home = _home_page()
    for partnership in partnerships:
        _mnvp_page(home, partnership)
    _child(
        home,
        StandardPage,
        slug="about-us",
        title="About us",
        show_in_menus=True,
        body=[
            (
                "paragraph",
                "<p>We are a local charity that hosts Maternity and Neonatal Voices Partnerships for our "
                "Integrated Care Board. We recruit and support the volunteers, pay their expenses, and make "
                "sure families' voices reach the people who plan care.</p>",
            )
        ],
    )
    _child(
        home,
        VolunteerSignupPage,
        slug="get-involved",
        title="Get involved",
        show_in_menus=True,
        intro="<p>Tell us a little about yourself and we will be in touch. It takes about five minutes.</p>",
    )
    contact = SiteContact.for_site(Site.objects.get(is_default_site=True))
    contact.organisation_name = "Shire Voices Partnership Trust"
    contact.email = "hello@shire-voices.example.org"
    contact.phone = "01632 960 000"
    contact.footer_text = (
        "Hosting Maternity and Neonatal Voices Partnerships in Northshire, Southvale and Westbrook."
    )
    contact.save()
    return home


def _home_page() -> HomePage:
    home = HomePage.objects.first()
    if home:
        return home
    root = Page.get_first_root_node()
    welcome = root.get_children().filter(slug="home").first()
    if welcome is not None:
        # Wagtail's own "Welcome" page: move its slug aside so ours can take it.
        welcome.slug = "wagtail-welcome"
        welcome.save()
    home = root.add_child(
        instance=HomePage(title="Maternity and Neonatal Voices", slug="home", intro=HOME_INTRO)
    )
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="MNVP host")
    else:
        site.root_page = home
        site.save()
    if welcome is not None:
        welcome.delete()
    return home


def _child(parent, page_class, *, slug, **fields):
    page = page_class.objects.child_of(parent).filter(slug=slug).first()
    if page:
        return page
    page = parent.add_child(instance=page_class(slug=slug, **fields))
    page.save_revision().publish()
    return page


def _mnvp_page(home, partnership: Partnership) -> MNVPPage:
    existing = MNVPPage.objects.filter(partnership=partnership).first()
    if existing:
        return existing
    name = partnership.name
    return _child(
        home,
        MNVPPage,
        slug=partnership.slug,
        title=name,
        partnership=partnership,
        show_in_menus=False,
        summary=(
            "Parents, families and staff working together to make maternity and neonatal care better "
            "for everyone, especially the families heard least often."
        ),
        about=(
            f"<p>{name} is a group of local parents, families and staff. We listen to what families say "
            "about their care during pregnancy, birth, after birth and in the neonatal unit, and we work "
            "with the hospital teams to make changes.</p><p>We are especially keen to hear from families "
            "whose voices are heard least often.</p>"
        ),
        where_we_listen=(
            "<ul><li>Baby groups and children's centres</li><li>The antenatal clinic waiting room</li>"
            "<li>Online, through our surveys</li></ul>"
        ),
        get_in_touch="<p>Tell us about your experience, good or bad. We read every message.</p>",
    )
