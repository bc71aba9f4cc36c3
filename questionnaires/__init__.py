"""The questionnaire content, installed as the data package `survey.questionnaires`."""
