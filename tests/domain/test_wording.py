"""The three wordings of a responsibility, made by rule, against sentences written by hand."""

from __future__ import annotations

import pytest

from survey.domain.wording import WordingError, second_person, word_responsibility

# (responsibility as the source document writes it, self, other, you) — wordings typed by hand
SEED = [
    (
        "Focuses on doing his work and delivering the results of his own work.",
        "I focus on doing my work and delivering the results of my own work.",
        "{name} focuses on doing their work and delivering the results of their own work.",
        "You focus on doing your work and delivering the results of your own work.",
    ),
    (
        "Uses existing tools and processes.",
        "I use existing tools and processes.",
        "{name} uses existing tools and processes.",
        "You use existing tools and processes.",
    ),
    (
        "Deepens his own skill set by getting better at the work that he is doing, and aims to "
        "become an expert in his area of expertise.",
        "I deepen my own skill set by getting better at the work that I am doing, and aim to "
        "become an expert in my area of expertise.",
        "{name} deepens their own skill set by getting better at the work that they are doing, "
        "and aims to become an expert in their area of expertise.",
        "You deepen your own skill set by getting better at the work that you are doing, and "
        "aim to become an expert in your area of expertise.",
    ),
    (
        "Follows the company culture and values.",
        "I follow the company culture and values.",
        "{name} follows the company culture and values.",
        "You follow the company culture and values.",
    ),
    (
        "Takes care of his team’s motivation and work engagement.",
        "I take care of my team's motivation and work engagement.",
        "{name} takes care of their team's motivation and work engagement.",
        "You take care of your team's motivation and work engagement.",
    ),
    (
        "Optimises to create better results with less effort/money.",
        "I optimise to create better results with less effort/money.",
        "{name} optimises to create better results with less effort/money.",
        "You optimise to create better results with less effort/money.",
    ),
    (
        "Supports the individual team members in all work- and career-related issues and "
        "challenges, and gives personal feedback and advice.",
        "I support the individual team members in all work- and career-related issues and "
        "challenges, and give personal feedback and advice.",
        "{name} supports the individual team members in all work- and career-related issues "
        "and challenges, and gives personal feedback and advice.",
        "You support the individual team members in all work- and career-related issues and "
        "challenges, and give personal feedback and advice.",
    ),
    (
        "Keeps the team accountable, and measures progress towards goals.",
        "I keep the team accountable, and measure progress towards goals.",
        "{name} keeps the team accountable, and measures progress towards goals.",
        "You keep the team accountable, and measure progress towards goals.",
    ),
    (
        "Executes the strategies set by upper management and acts as a link between the team "
        "and them.",
        "I execute the strategies set by upper management and act as a link between the team "
        "and them.",
        "{name} executes the strategies set by upper management and acts as a link between the "
        "team and them.",
        "You execute the strategies set by upper management and act as a link between the "
        "team and them.",
    ),
    (
        "Delegates work and avoids becoming a bottleneck.",
        "I delegate work and avoid becoming a bottleneck.",
        "{name} delegates work and avoids becoming a bottleneck.",
        "You delegate work and avoid becoming a bottleneck.",
    ),
    (
        "Communicates and lives the company culture and values.",
        "I communicate and live the company culture and values.",
        "{name} communicates and lives the company culture and values.",
        "You communicate and live the company culture and values.",
    ),
    (
        "Doesn’t try to compete with the experts in terms of skill levels and depth of "
        "knowledge but is willing to train and hire experts that are better than him for "
        "work-related issues.",
        "I don't try to compete with the experts in terms of skill levels and depth of "
        "knowledge but am willing to train and hire experts that are better than me for "
        "work-related issues.",
        "{name} doesn't try to compete with the experts in terms of skill levels and depth of "
        "knowledge but is willing to train and hire experts that are better than them for "
        "work-related issues.",
        "You don't try to compete with the experts in terms of skill levels and depth of "
        "knowledge but are willing to train and hire experts that are better than you for "
        "work-related issues.",
    ),
    (
        "Doesn’t try to do the work that should be done by team members, even though he might "
        "be able to do it.",
        "I don't try to do the work that should be done by team members, even though I might "
        "be able to do it.",
        "{name} doesn't try to do the work that should be done by team members, even though "
        "they might be able to do it.",
        "You don't try to do the work that should be done by team members, even though you "
        "might be able to do it.",
    ),
    (
        "Focuses on the business outcomes of the company (or his department/business unit)",
        "I focus on the business outcomes of the company (or my department/business unit).",
        "{name} focuses on the business outcomes of the company (or their department/business "
        "unit).",
        "You focus on the business outcomes of the company (or your department/business unit).",
    ),
    (
        "Focuses on the future of the company and creates visions and strategies.",
        "I focus on the future of the company and create visions and strategies.",
        "{name} focuses on the future of the company and creates visions and strategies.",
        "You focus on the future of the company and create visions and strategies.",
    ),
    (
        "Is responsible for profit and loss of the organisation that he leads and manages "
        "budgeting, forecasting, and reporting.",
        "I am responsible for profit and loss of the organisation that I lead and manage "
        "budgeting, forecasting, and reporting.",
        "{name} is responsible for profit and loss of the organisation that they lead and "
        "manage budgeting, forecasting, and reporting.",
        "You are responsible for profit and loss of the organisation that you lead and manage "
        "budgeting, forecasting, and reporting.",
    ),
    (
        "Often represents the company to the customers and outside world.",
        "I often represent the company to the customers and outside world.",
        "{name} often represents the company to the customers and outside world.",
        "You often represent the company to the customers and outside world.",
    ),
    (
        "Doesn’t work with the detail levels of products, services, project planning etc. Has "
        "trusted leaders and managers to take care of that.",
        "I don't work with the detail levels of products, services, project planning etc. I "
        "have trusted leaders and managers to take care of that.",
        "{name} doesn't work with the detail levels of products, services, project planning "
        "etc. {name} has trusted leaders and managers to take care of that.",
        "You don't work with the detail levels of products, services, project planning etc. "
        "You have trusted leaders and managers to take care of that.",
    ),
    (
        "Doesn’t step over the team leaders and managers and assign work directly to their "
        "teams.",
        "I don't step over the team leaders and managers and assign work directly to their "
        "teams.",
        "{name} doesn't step over the team leaders and managers and assign work directly to "
        "their teams.",
        "You don't step over the team leaders and managers and assign work directly to their "
        "teams.",
    ),
]
# Shapes the source document does not use but another framework might.
OTHER_DOCUMENTS = [
    (
        "He applies the agreed standards and reaches his targets.",
        "I apply the agreed standards and reach my targets.",
        "{name} applies the agreed standards and reaches their targets.",
        "You apply the agreed standards and reach your targets.",
    ),
    (
        "Coaches her team and listens to them.",
        "I coach my team and listen to them.",
        "{name} coaches their team and listens to them.",
        "You coach your team and listen to them.",
    ),
    (
        "Isn't afraid to admit mistakes herself.",
        "I am not afraid to admit mistakes myself.",
        "{name} isn't afraid to admit mistakes themselves.",
        "You aren't afraid to admit mistakes yourself.",
    ),
    (
        "Has regular one-to-ones where she gives feedback to each report.",
        "I have regular one-to-ones where I give feedback to each report.",
        "{name} has regular one-to-ones where they give feedback to each report.",
        "You have regular one-to-ones where you give feedback to each report.",
    ),
    (
        "Always shares the values of the company with new starters.",
        "I always share the values of the company with new starters.",
        "{name} always shares the values of the company with new starters.",
        "You always share the values of the company with new starters.",
    ),
]


@pytest.mark.parametrize(("text", "self_text", "other_text", "you_text"), SEED + OTHER_DOCUMENTS)
def test_three_wordings_by_rule(text: str, self_text: str, other_text: str, you_text: str) -> None:
    wordings = word_responsibility(text)
    assert wordings.self_text == self_text
    assert wordings.other_text == other_text
    assert wordings.you_text == you_text


def test_at_least_fifteen_source_responsibilities_with_every_doesnt_one() -> None:
    assert len(SEED) >= 15
    assert sum(text.startswith("Doesn’t") for text, *_ in SEED) == 4


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Responsible for the profit and loss.", "does not start with a verb"),
        ("Team results and business outcomes.", "does not start with a verb"),
        ("Ensure the team delivers.", "does not start with a verb"),
        ("I deliver my results.", "already speaks as I or you"),
        ("Delivers results. Your team trusts you.", "already speaks as I or you"),
        ("   ", "empty"),
    ],
)
def test_a_sentence_the_rules_cannot_turn_says_why(text: str, reason: str) -> None:
    with pytest.raises(WordingError, match=reason):
        word_responsibility(text)


@pytest.mark.parametrize(
    ("self_text", "you_text"),
    [
        ("What do I do well that I should keep doing?",
         "What do you do well that you should keep doing?"),
        ("What should I start doing to be more effective in my role?",
         "What should you start doing to be more effective in your role?"),
        ("I am proud of my team.", "You are proud of your team."),
    ],
)
def test_second_person_from_a_self_wording(self_text: str, you_text: str) -> None:
    assert second_person(self_text) == you_text
