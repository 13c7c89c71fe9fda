"""Issue 3: extraction never raises on arbitrary text, and every row's offsets point at its text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpuskit.model import Metadata
from corpuskit.processing import process_bytes

LINES = st.sampled_from(
    [
        "",
        "",
        "",
        "Title of a thing",
        "posted at 6:32 pm on March 30, 2011 by Some One",
        "Name on March 30, 2011 at 6:36 PM",
        "Bob on the Hill on March 30, 2011 at 11:59 PM",
        "x on March 31, 2011 at 12:01 AM",
        "Related Posts:",
        "Trackback URL",
        "Breaking on Site",
        "Wednesday, 15 June 2011",
        "[An editor's note by Ann Lee.]",
        "  1. first item",
        "  2. second item",
        "Skip to: Content",
        "(Page 2 of 3)",
        "Skip to next paragraph",
        "RELATED: more",
        "Read Comments",
        "  • Share",
        "Ann Lee / AP / Reuters",
        "A caption line",
        "Trending on Site Video",
        "Sam 8:31 AM on December 04, 2022",
        "Some body text that goes on for a while.",
        "“Quoted” words — and more",
    ]
)
DOCS = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(LINES, st.text(max_size=40)), max_size=40).map("\n".join),
)


def _meta() -> Metadata:
    return Metadata("p", "p.txt")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS)
def test_extraction_never_raises_and_offsets_point_at_own_text(doc: str) -> None:
    result = process_bytes(_meta(), doc.encode("utf-8"))
    ex = result.extraction
    if ex is None:
        assert result.meta.status == "rejected" and result.meta.error
        return
    source = doc.replace("\r\n", "\n").replace("\r", "\n")
    span = source[ex.char_start : ex.char_end]
    assert 0 <= ex.char_start <= ex.char_end <= len(source)
    assert ex.title in span
    for line in ex.body.splitlines():
        assert line.strip() in span
    for c in ex.comments:
        assert 0 <= c.char_start <= c.char_end <= len(source)
        cspan = source[c.char_start : c.char_end]
        assert c.text.strip()
        for line in (c.text + "\n" + (c.quoted_text or "")).splitlines():
            assert line.strip() in cspan


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_read_or_rejected_with_a_reason(data: bytes) -> None:
    result = process_bytes(_meta(), data)
    assert (result.extraction is None) == (result.meta.status == "rejected")
    if result.extraction is None:
        assert result.meta.reject is not None
        code = result.meta.reject.reason.value
        assert code in {
            "empty",
            "binary",
            "undecodable",
            "whitespace_only",
            "markup",
            "no_title",
            "no_body",
        }
