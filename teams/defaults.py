"""What a new meeting starts with: the rules of the seeds' meeting of 6 July 2011, which the
moderator may change."""

# ruff: noqa: E501

# "Zasady współpracy podczas spotkania"
MEETING_RULES = [
    "w trakcie spotkań mówimy krótko i na temat, szanujemy czas innych osób",
    "moderator prowadzi spotkanie, kieruje dyskusją, pilnuje czasu wypowiedzi",
    "w pracy nad Programem „nie musimy się ze sobą zgadzać”, pokazujemy różne rozwiązania i alternatywy, dążymy do konsensusu",
    "nie ograniczamy kreatywności!",
    "dzielimy się doświadczeniami i pomysłami",
    "w trakcie spotkań wyciszamy komórki",
]
