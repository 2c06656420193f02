"""Parser notes counted by kind (models_py/ingest/notes.py): the raw asset's metadata."""

from models_py.ingest.notes import note_kind, summarize_notes


def test_notes_that_differ_in_row_or_year_are_one_kind() -> None:
    notes = [
        "nbs/2021/gdp.csv: row 36 skipped (footnote): 注:本表为合成演示数据",
        "nbs/2021/gdp.csv: row 37 skipped (footnote): 数据来源:本项目演示数据生成器",
        "nbs/2021/cpi.xlsx: sheet 'Sheet1' row 36 skipped (footnote): 注:...",
        "nbs/2021/urban_population.csv: year columns without any value: [2023]",
        "ceads/2021/Emission_Inventories_for_30_Provinces_2000.xlsx: province names in other "
        "known forms: Anhui, Beijing",
        "ceads/2021/Emission_Inventories_for_30_Provinces_2001.xlsx: province names in other "
        "known forms: Anhui, Beijing",
    ]
    assert note_kind(notes[0]) == "row N skipped (footnote)"
    assert note_kind(notes[2]) == "sheet 'SheetN' row N skipped (footnote)"
    assert summarize_notes(notes) == {
        "province names in other known forms": 2,
        "row N skipped (footnote)": 2,
        "sheet 'SheetN' row N skipped (footnote)": 1,
        "year columns without any value": 1,
    }
    assert summarize_notes([]) == {}
    assert note_kind("a note without a file") == "a note without a file"
