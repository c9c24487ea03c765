"""Embedded social posts in the text forms their embeds leave behind."""

from sitrep import read_text


def _posts(text: str):  # type: ignore[no-untyped-def]
    return read_text(text, published="2024-11-01").embedded_posts


def test_x_post_with_glued_link_and_byline_on_next_line() -> None:
    (post,) = _posts(
        "Le Pentagone a réagi dans la soirée.\n"
        "BREAKING: Ukraine says it shot down 45 drones overnight over Kyiv and Odesa regionshttps://t.co/AbC123xyz\n"
        "— Reuters (@Reuters) October 30, 2024\n"
        "Kiev n’a pas donné de bilan."
    )
    assert (post.platform, post.author, post.handle, post.published) == ("x", "Reuters", "@Reuters", "2024-10-30")
    assert post.url == "https://t.co/AbC123xyz"
    assert post.text.endswith("Odesa regions") and "https" not in post.text
    assert post.language == "en"


def test_x_post_with_pic_link_and_byline_on_same_line() -> None:
    (post,) = _posts(
        "Les images ont circulé toute la journée sur les réseaux sociaux.\n"
        "Des milliers de manifestants devant le Parlement à Tbilissi ce soir pic.twitter.com/Qw3rTy12 — Jean Martin (@jmartin_fr) 28 octobre 2024\n"
        "La police a dispersé la foule."
    )
    assert (post.author, post.handle, post.published) == ("Jean Martin", "@jmartin_fr", "2024-10-28")
    assert post.url == "pic.twitter.com/Qw3rTy12"
    assert post.text == "Des milliers de manifestants devant le Parlement à Tbilissi ce soir"
    assert post.language == "fr"


def test_bluesky_byline_with_domain_handle_and_time() -> None:
    (post,) = _posts(
        "The minister later replied online.\n"
        "We will not accept any ceasefire that rewards aggression. Our position has not changed.\n"
        "— Jane Doe (@janedoe.bsky.social) October 29, 2024 at 3:12 PM\n"
        "Her office declined to comment further."
    )
    assert (post.platform, post.handle, post.published) == ("bluesky", "@janedoe.bsky.social", "2024-10-29")


def test_instagram_and_telegram_forms() -> None:
    text = (
        "The president posted a video from the front.\n"
        "Visiting our brave defenders in Kharkiv region today. Glory to Ukraine!\n"
        "A post shared by Volodymyr Zelensky (@zelenskiy_official)\n"
        "The Russian army channel answered within hours.\n"
        "Our units repelled four attacks near Pokrovsk during the night https://t.me/mod_russia_en/1234\n"
        "Neither claim could be verified."
    )
    posts = _posts(text)
    assert [(p.platform, p.handle) for p in posts] == [
        ("instagram", "@zelenskiy_official"), ("telegram", "@mod_russia_en"),
    ]
    assert posts[0].text.startswith("Visiting our brave defenders")
    assert posts[1].url == "https://t.me/mod_russia_en/1234"


def test_quotes_signed_with_a_dash_are_not_posts() -> None:
    assert _posts(
        "« La paix ne se décrète pas, elle se construit. »\n"
        "— Jean Dupont, ancien ambassadeur, le 12 octobre 2024\n"
        "Le débat continue à l'Assemblée."
    ) == ()


def test_example_post(example_doc) -> None:  # type: ignore[no-untyped-def]
    (post,) = example_doc.embedded_posts
    assert (post.author, post.handle, post.published, post.url, post.language) == (
        "CNN", "@CNN", "2024-10-23", "https://t.co/uEqO7x4fAg", "en",
    )
    assert post.text.startswith("Secretary of Defense Lloyd Austin says North Korea has deployed troops to Russia")
    assert post.text.endswith("confirm the development")
    kinds = {example_doc.text[s.span[0]:s.span[1]][:10]: (s.kind, s.language) for s in example_doc.segments}
    assert kinds["— CNN (@CN"] == ("embedded_post", "en")
    assert kinds["Secretary "] == ("embedded_post", "en")
