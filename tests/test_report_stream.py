"""A report is built from the database chunk by chunk (issue 11.3): at 100,000 responses reading every row at
once took some 750 MiB. Streaming must give exactly the records, and the report, that reading all at once gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bot.demo import sample_inspection
from bot.reports.aggregate import ReportBuilder, build_report
from bot.services.report import report_for
from bot.storage import inspections as inspections_repo
from bot.storage import parents as parents_repo
from bot.storage.db import Database
from bot.storage.evidence import iter_records, records_for
from bot.survey.engine import SurveyState
from bot.survey.model import load_questionnaire
from tests.report_factory import make_info, make_records


async def _store(db: Database, inspection_id: str, n: int, *, submit: bool, first: int) -> None:
    for i, record in enumerate(make_records(n, seed=first), start=first):
        respondent = f"{inspection_id}-{i}"
        await parents_repo.save_parent(db, parents_repo.Parent(respondent, language=record.language))
        response = await parents_repo.create_response(db, respondent, inspection_id, "area_send", 1, record.language,
                                                      SurveyState(None), record.forum)
        for question, value in record.answers.items():
            await parents_repo.set_answer(db, response, question, value, 1,  # type: ignore[arg-type]
                                          record.text_languages.get(question), record.scrubbed_by.get(question))
        for source in ("parent", "classifier", "rule"):
            for question in {a.question for a in record.themes if a.source == source}:
                await parents_repo.set_themes(db, response, question, [a.theme for a in record.themes
                                                                       if a.source == source and a.question == question],
                                              source)
        await parents_repo.set_flags(db, response, "inspectors_should_know", record.flags)
        await parents_repo.save_state(db, response, SurveyState(None), language=record.language, submitted=submit)


async def test_records_stream_in_chunks_exactly_as_read_at_once_and_the_report_is_the_same(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "stream.db")
    try:
        inspection = sample_inspection()
        other = replace(inspection, id="other26", survey_opens=inspection.survey_opens - timedelta(days=1))
        for each in (inspection, other):
            await inspections_repo.create(db, each)
        await _store(db, inspection.id, 23, submit=True, first=0)
        await _store(db, other.id, 4, submit=True, first=100)          # another inspection's responses
        await _store(db, inspection.id, 3, submit=False, first=200)    # still being answered
        await _store(db, inspection.id, 2, submit=True, first=300)

        everything = await records_for(db, inspection.id)
        assert len(everything) == 25
        for chunk in (1, 4, 7, 25, 1000):
            assert [r async for r in iter_records(db, inspection.id, chunk=chunk)] == everything

        questionnaire = load_questionnaire()
        builder = ReportBuilder(make_info(), questionnaire)
        async for record in iter_records(db, inspection.id, chunk=4):
            builder.add(record)
        streamed = builder.report()
        assert streamed == build_report(make_info(), questionnaire, everything)
        assert streamed.total == 25 and streamed.quotes
        assert (await report_for(db, inspection.id)).total == 25
    finally:
        await db.close()
