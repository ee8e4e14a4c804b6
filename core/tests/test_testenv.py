"""The test databases' template names fit PostgreSQL's 63-byte limit, whatever the base name."""

from emergency.testenv import _template_stem


def test_a_short_base_name_is_kept():
    assert _template_stem("test_emergency") == "test_emergency"


def test_a_long_base_name_is_cut_with_a_hash_so_two_long_names_do_not_collide():
    one = _template_stem("test_emergency_bench_for_the_monthly_reports")
    two = _template_stem("test_emergency_bench_for_the_monthly_figures")
    assert one != two
    for stem in (one, two):
        assert len(f"{stem}_template_{'a' * 12}_{'b' * 6}_building") <= 63
        assert stem.startswith("test_emergency")
