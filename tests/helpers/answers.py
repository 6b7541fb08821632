"""Fixed answers for tests in any language: routes through the questionnaire as callback data, and stories.

A route names each question by id, so a test pressing it fails clearly (no such button) if the
questionnaire changes under it, instead of answering the wrong question.
"""

from __future__ import annotations

#: A parent of a 5 to 10 year old with an EHC plan: every closed question, then worked_well skipped, so the
#: next text is the answer to inspectors_should_know.
EHC_PLAN_ROUTE = [
    ("pick", "respondent", "parent_carer"), ("pick", "age_band", "5_to_10"), ("pick", "support", "ehc_plan"),
    ("pick", "setting", "mainstream"), ("tog", "needs", "communication"), ("done", "needs", None),
    ("pick", "identified", "2"), ("pick", "assessment_wait", "over_2_years"), ("pick", "right_help", "1"),
    ("tog", "services_waited", "speech_language"), ("done", "services_waited", None),
    ("pick", "involved", "2"), ("pick", "contact_replies", "1"), ("tog", "excluded", "none"),
    ("done", "excluded", None), ("skip", "worked_well", None)]

#: A parent of a 16 to 18 year old waiting for an assessment: every question type, a Back, a skip, and it
#: stops at the first free-text question (worked_well).
ASSESSMENT_ROUTE = [
    ("pick", "respondent", "parent_carer"), ("pick", "age_band", "16_to_18"),
    ("pick", "support", "assessment_requested"), ("pick", "setting", "college"), ("tog", "needs", "learning"),
    ("done", "needs", None), ("pick", "identified", "dont_know"), ("pick", "assessment_wait", "still_waiting"),
    ("back", None, None), ("pick", "assessment_wait", "refused"), ("pick", "right_help", "3"),
    ("skip", "services_waited", None), ("pick", "involved", "4"), ("pick", "contact_replies", "2"),
    ("pick", "next_steps", "1"), ("tog", "excluded", "sent_home"), ("done", "excluded", None)]

#: One parent's story in five languages, two of them right-to-left.
STORIES = {
    "en": "We waited two years for the EHC needs assessment and nobody answered my emails.",
    "pl": "Czekaliśmy dwa lata na ocenę potrzeb EHC i nikt nie odpowiadał na moje maile.",
    "ur": "ہم نے دو سال تک EHC جائزے کا انتظار کیا اور کسی نے میری ای میل کا جواب نہیں دیا۔",
    "ar": "انتظرنا سنتين لتقييم احتياجات EHC ولم يرد أحد على رسائلي.",
    "ro": "Am așteptat doi ani pentru evaluarea EHC și nimeni nu mi-a răspuns la emailuri.",
}
