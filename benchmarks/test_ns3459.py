"""Reading an NS 3459 priced offer of 100 000 posts, beside what expat and lxml need for it.

The file is generated once per session with the test fixture writer
(``tests/fixtures/ns3459/make_ns3459.py``), shaped as ISY programs export it: a
``Postnrplan`` with building-part levels, five ``Postnrdel`` per post, ``Kode``,
``Tekst`` with ``Uformatert`` and ``RTF``, ``Prisinfo``, and on every fifth post
``Delmengder`` with "Hovedprosjekt" and one option (about 800 bytes per post).

Cases, each timed in the same run:

- ``read_ns3459``: the public call (parse, type, options, building parts, findings);
- ``parse``: the parser alone, as the reader calls it (this file takes the fast path:
  compiled patterns read the posts and checks at C speed prove them well-formed, expat
  reads only what is outside them);
- ``parse_ns3459_full_parser``: the full parser alone (fast path off: defusedxml with the
  reader's handlers), what a file in another shape costs;
- ``expat_no_handlers``: the floor, expat reading the same bytes with no handlers;
- ``expat_noop_handlers``: the floor of any parser that calls Python per element:
  expat calling three empty Python handlers (start, end, text);
- ``lxml_iterparse``: lxml's ``iterparse`` with a tag filter on ``Post`` (skipped
  when lxml is not installed; it is not a dependency).

Issue #13 goal: ``read_ns3459`` within 0.8 s where the floor is 0.33 s (about 2.4 x the
floor). Before the fast path, the full parser was 7-10 x the floor and the public call
7.5-13 x (17.8 x and 12.4 x for the parser in one run at load 5), and empty Python
handlers alone take 4-5.4 x: no parser that calls Python per element can get there.
With the fast path (2026-12-07, shared 2-core machine at load 3.5-6.5, 5 rounds, the
floor 1.26 s there): parser 2.28 x min / 2.38 x median, public call 3.47 x / 3.57 x;
interleaved round by round with the floor in one process: 2.48 x / 2.69 x and
3.50 x / 3.68 x. Then the run of posts was proven well-formed by the fast path's own
checks instead of a second expat pass over the whole file, and the cycle collector
paused while the objects are made (2026-12-07, load 3.5-7, the floor 0.77-1.6 s):
ten processes alternating the code before and after, each round timing expat, the
parser and the public call back to back, ratio to that round's expat, min / median:
parser 2.04 x / 2.67 x -> 1.57 x / 1.92 x, public call 2.04 x / 3.73 x -> 2.12 x /
2.58 x (times 2.51 / 4.26 s -> 2.12 / 3.03 s). pytest-benchmark, the two codes in
runs back to back (5 rounds, min / median): at load about 3.5, public call 3.33 x /
3.31 x -> 2.39 x / 2.38 x (3.05 -> 2.01 s), parser 2.46 x / 2.35 x -> 1.51 x / 1.55 x;
the quietest run after: 1.37 s, 2.32 x / 2.37 x beside expat 0.59 s; at load 4-5,
4.36 x / 4.25 x -> 3.11 x / 2.76 x. So 2.4 x is met at load up to about 3.5, not under
heavier load, and 0.8 s is not (expat alone takes 0.59 s here). On a quiet machine
(2026-12-07, load about 1, nothing else running; 5 rounds, min) it is not met either: the
public call 1.11-1.21 s beside expat 0.36-0.38 s, 3.0-3.2 x; the parser alone 0.79 s,
2.08 x. Under load expat slows more than the numpy steps around it, which flattered the
ratio. After parsing, 0.42 s: building parts 0.12-0.13 s (500 000 ``Postnrdel`` rows made
into arrays, coded and tested), inherited codes 0.08 s, the file's SHA-256 0.07 s, the
numbers 0.05 s, the frames the rest. The hash then moved onto a thread beside the parse
(hashlib lets go of the GIL): in two alternating pairs on the quiet machine, the public call
1.18 / 1.23 s -> 1.12 / 1.11 s (3.05 / 3.37 x -> 3.06 / 2.96 x expat), the parser alone
737 / 781 -> 719 / 709 ms. Then the work after the pattern went onto distinct values and
integer arrays (2026-12-07): the ``Postnrdel`` Type and Kode handed over as categories (each
distinct text decoded once, told apart by its bytes read as 8-byte integers) and the building
parts worked out on their numbers; inherited codes look prefixes up only at the dot counts
post numbers have (none in a flat file); the file read in one piece (no 80 MB join); tag
offsets found piece by piece as 32-bit integers; complete records proven by the letters of
their opening tags; a column of a few repeated texts decoded text by text. pytest-benchmark,
ae28fb3 and the branch in runs back to back, three pairs at load about 1 (nothing else
running), 5 rounds, min / median, ratio to expat in the same run: the public call 1.15 / 1.17 s (2.92 / 2.86 x) -> 0.80 /
0.82 s (1.97 / 1.96 x), 1.14 / 1.15 s (2.92 / 2.76 x) -> 0.81 / 0.81 s (2.04 / 2.02 x) and
1.13 / 1.14 s (2.93 / 2.85 x) -> 0.80 / 0.84 s (2.02 / 2.13 x); the parser alone 0.71 /
0.75 s (1.81 / 1.83 x) -> 0.58 / 0.61 s (1.44 / 1.46 x), 0.74 / 0.75 s (1.91 / 1.78 x) ->
0.58 / 0.60 s (1.47 / 1.50 x) and 0.74 / 0.77 s (1.91 / 1.92 x) -> 0.60 / 0.60 s (1.52 /
1.53 x); expat 0.39-0.42 s in these runs (earlier the same evening, under load, expat took
0.36 s and the branch a few commits before its end 0.68-0.77 s). So the ratio goal is met with room, and 0.8 s
just: by the minimum, not by the median. What is left (thread CPU
time): the posts pattern about 0.22 s (0.6 x), the checks of the run
(UTF-8, control characters, references) 0.05 s, cutting out the 500 000 ``Postnrdel``
records and numbering their texts 0.14 s, the posts' texts as about 800 000 Python strings
0.11 s (columns and transposing the matches), reading the file 0.03 s; after parsing
0.14 s, none of it above 0.03 s (building parts 0.02 s, the numbers 0.03 s, inherited codes
0.013 s, duplicate post numbers 0.012 s, the frames). lxml is no way around it: building
its tree alone took about 2 x the floor, its pull parser with a tag filter 3.4 x (measured
beside expat, chunks of 1 MB, huge_tree off). Run
``pytest benchmarks/test_ns3459.py --benchmark-only --benchmark-min-rounds=5``;
the full size runs only then, the test run's smoke pass reads 1 000 posts once.
"""

from __future__ import annotations

import importlib.util
import random
import sys
import warnings
import xml.parsers.expat
from pathlib import Path

import pytest

from _sizes import skip_full_size
from klimafotavtrykk.quantities import _ns3459_xml
from klimafotavtrykk.quantities._ns3459_xml import Ns3459Limits, parse_ns3459
from klimafotavtrykk.quantities.ns3459 import read_ns3459

_FIXTURE = Path(__file__).parents[1] / "tests" / "fixtures" / "ns3459" / "make_ns3459.py"
SIZES = (1_000, 100_000)
SMOKE = 1_000


def _writer():
    spec = importlib.util.spec_from_file_location("make_ns3459", _FIXTURE)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_ns3459", module)
    spec.loader.exec_module(module)
    return module


def _offer(n_posts: int, seed: int = 3) -> tuple[bytes, float]:
    """A priced offer of ``n_posts`` posts, and the sum of its base-contract quantities."""
    mk = _writer()
    rnd = random.Random(seed)
    posts, total = [], 0.0
    for i in range(n_posts):
        chapter, part, sub = 30 + i // 20_000, 20 + (i // 1_000) % 50, 1 + (i // 100) % 9
        number = f"{chapter}.{part}.{part}{sub}.{i % 100}.{i % 7 + 1}"
        quantity = round(rnd.uniform(0.5, 2_000.0), 3)
        parts = []
        if i % 5 == 0:  # written Mengde = base + option (-2); "main" counts the base only
            parts = [mk.Part(f"{quantity + 2:g}", "1", "Hovedprosjekt"),
                     mk.Part("-2", "2", "Opsjon 1 - etasje 4")]  # fmt: skip
            total += float(f"{quantity:g}") + 2
        else:
            total += float(f"{quantity:g}")
        posts.append(
            mk.Post(
                number, None if i % 3 == 0 else f"LB2.{1_000 + i % 700}",
                f"Plasstøpt betong B30 i vegger, post {i}", "m3", f"{quantity:g}",
                f"{rnd.uniform(10, 900):.2f}", None, "Volum", parts=parts,
                levels=mk.SUB_LEVEL_POST,
            )
        )  # fmt: skip
    data = mk.make_ns3459(posts, root="Pristilbud", plan=mk.PLAN_WITH_SUB_LEVELS)
    return data, total


@pytest.fixture(scope="session", params=SIZES, ids=lambda n: f"{n}_posts")
def offer(request, tmp_path_factory):
    n_posts = request.param
    data, total = _offer(n_posts)
    path = tmp_path_factory.mktemp("ns3459") / f"tilbud_{n_posts}.xml"
    path.write_bytes(data)
    return n_posts, path, data, total


def test_read_ns3459(benchmark, offer):
    """The public call (goal: 0.8 s for 100 000 posts)."""
    n_posts, path, _, total = offer
    skip_full_size(benchmark, n_posts != SMOKE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        items, meta = benchmark(read_ns3459, path)
    assert len(items) == n_posts
    assert items["quantity"].sum() == pytest.approx(total, rel=1e-12)
    assert meta.base_part_ids == ("1",)


def test_parse_ns3459(benchmark, offer):
    """The streaming parser alone: what the reader's handlers cost over the floor."""
    n_posts, path, _, _ = offer
    skip_full_size(benchmark, n_posts != SMOKE)
    collector, _ = benchmark(parse_ns3459, path, Ns3459Limits())
    assert len(collector.parent) == n_posts


def test_parse_ns3459_full_parser(benchmark, offer, monkeypatch):
    """The full parser alone (the fast path switched off): what files of another shape cost."""
    n_posts, path, _, _ = offer
    skip_full_size(benchmark, n_posts != SMOKE)
    monkeypatch.setattr(_ns3459_xml, "read_posts", lambda *_: None)
    collector, _ = benchmark(parse_ns3459, path, Ns3459Limits())
    assert len(collector.parent) == n_posts


def test_expat_no_handlers(benchmark, offer):
    """The floor: expat reads the bytes and calls nothing."""
    n_posts, _, data, _ = offer
    skip_full_size(benchmark, n_posts != SMOKE)

    def parse():
        parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
        parser.Parse(data, True)
        return parser.CurrentLineNumber

    assert benchmark(parse) > n_posts


def test_expat_noop_handlers(benchmark, offer):
    """What calling Python per element costs by itself: three handlers that do nothing."""
    n_posts, _, data, _ = offer
    skip_full_size(benchmark, n_posts != SMOKE)

    def nothing(*_):
        return None

    def parse():
        parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
        parser.StartElementHandler = parser.EndElementHandler = nothing
        parser.CharacterDataHandler = nothing
        parser.buffer_text = True
        parser.Parse(data, True)
        return parser.CurrentLineNumber

    assert benchmark(parse) > n_posts


def test_lxml_iterparse(benchmark, offer):
    """The peer: lxml iterparse on Post elements, entities and DTDs refused."""
    etree = pytest.importorskip("lxml.etree")
    n_posts, path, _, _ = offer
    skip_full_size(benchmark, n_posts != SMOKE)
    tag = "{http://www.standard.no/ns3459}Post"
    mengde = "{http://www.standard.no/ns3459}Prisinfo/{http://www.standard.no/ns3459}Mengde"

    def parse():
        quantities = []
        events = etree.iterparse(
            str(path), tag=tag, resolve_entities=False, load_dtd=False, no_network=True,
            huge_tree=False,
        )  # fmt: skip
        for _, element in events:
            quantities.append(element.findtext(mengde))
            element.clear(keep_tail=False)
        return quantities

    assert len(benchmark(parse)) == n_posts
