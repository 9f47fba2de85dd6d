"""The seeds' content, verbatim (Polish), as the demo data loads it.

Sources (copied unchanged to docs/seeds/): the slides of the meeting of the branch team on
social exclusion of 6 July 2011 (000_*.txt) and its Annex 3, the list of postulated actions
(003_*.txt). Line breaks of the source are layout and are joined with single spaces; the
slides' symbol-font bullets are dropped. Spelling is the source's own ("STATEGICZNY",
"Upubliczenie"): this is a record, not an edition.
"""
# ruff: noqa: E501

from teams import defaults

PROGRAMME_TITLE = (
    "Wieloletni Program Współpracy Gminy Miasta Kraków z organizacjami pozarządowymi "
    "na lata 2012 - 2014"
)
PROGRAMME_PERIOD = (2012, 2014)

# (slug, name on the list of teams, other names)
TEAMS = [
    ("zdrowie-i-niepelnosprawnosc", "ds. zdrowia i wsparcia dla osób niepełnosprawnych", ""),
    ("edukacja", "ds. edukacji", ""),
    (
        "aktywizacja-grup-zagrozonych-wykluczeniem",
        "ds. aktywizacji grup zagrożonych wykluczeniem",
        "ds. Wykluczenia Społecznego",
    ),
    ("kultura", "ds. kultury", ""),
    ("ekologia", "ds. ekologii", ""),
    ("sport-i-rekreacja", "ds. sportu i rekreacji", ""),
    ("spoleczenstwo-obywatelskie", "ds. społeczeństwa obywatelskiego", ""),
]
# The teams' English names (Team.name_en) are the portal's, not the seeds': as they follow
# "Branch team".
TEAM_NAMES_EN = {
    "zdrowie-i-niepelnosprawnosc": "for health and support for people with disabilities",
    "edukacja": "for education",
    "aktywizacja-grup-zagrozonych-wykluczeniem": "for the activation of groups at risk of exclusion",
    "kultura": "for culture",
    "ekologia": "for ecology",
    "sport-i-rekreacja": "for sport and recreation",
    "spoleczenstwo-obywatelskie": "for civil society",
}
MEETING_TEAM_SLUG = "aktywizacja-grup-zagrozonych-wykluczeniem"

# Context slides: (kind, title, points). A point that starts with "- " belongs to the one above.
CONTEXT_SECTIONS = [
    (
        "legal_basis",
        "Podstawa prawna",
        [
            "Ustawa z dnia 24 kwietnia 2003 roku o działalności pożytku publicznego i wolontariacie",
            "OBOWIĄZEK UCHWALANIA ROCZNEGO LUB WIELOLETNIEGO PROGRAMU WSPÓŁPRACY",
            "- program powstaje w trybie KONSULTACJI",
            "- pracę nad programem muszą zakończyć się do 30 listopada roku poprzedzającego okres obowiązywania programu",
        ],
    ),
    (
        "legal_basis",
        "Podstawa prawna",
        [
            "Uchwała NR CXI/1510/10 Rady Miasta Krakowa z dnia 6 października 2010 roku w sprawie programu współpracy",
            "cele priorytetowe:",
            "- OPRACOWANIE WIELOLETNIEGO PROGRAMU WSPÓŁPRACY GMINY MIEJSKIEJ KRAKÓW Z ORGANIZACJAMI POZARZĄDOWYMI I INNYMI PODMIOTAMI",
        ],
    ),
    (
        "strategy",
        "Umocowanie w Strategii Rozwoju Krakowa",
        [
            "Włączenie Wieloletniego Programu Współpracy jako zadania priorytetowe miasta w zakresie realizacji celu operacyjnego I-8: Rozwój samorządności lokalnej i doskonalenie metod zarządzania, zwiększanie świadomości obywatelskiej i zainteresowania życiem miasta.",
            "Włączenie poprzez realizację innych celów strategicznych i operacyjnych.",
        ],
    ),
    (
        "sectoral",
        "Zbieżność z dokumentami sektorowymi",
        [
            "CEL STATEGICZNY zapisany w Strategii Rozwiązywania Problemów Społecznych Krakowa na lata 2007-2013:",
            "- Tworzenie warunków udziału w rozwoju społeczności lokalnej osobom i grupom zagrożonym wykluczeniem społecznym i wykluczonym, przy jednoczesnym zapewnieniu im niezbędnych warunków bytowych i wychowawczych.",
        ],
    ),
    (
        "sectoral",
        "Strategia Rozwiązywania Problemów Społecznych Miasta Krakowa na lata 2007 - 2013",
        [
            "Cztery obszary priorytetowe:",
            "- 1) Obszar zagrożenia wykluczeniem społecznym.",
            "- 2) Obszar wykluczenia społecznego.",
            "- 3) obszar ryzykownych zachowań dzieci i młodzieży spowodowany niewydolnością opiekuńczo-wychowawczą rodzin.",
            "- 4) Obszar zagrożenia ubóstwem.",
        ],
    ),
]

MEETING_TITLE = "Spotkanie Zespołu Branżowego ds. Wykluczenia Społecznego"
MEETING_DATE = (2011, 7, 6)
# Not in the seeds: when the demo's meeting results were published (Europe/Warsaw), a few days
# after the meeting and before the consultation of them opened on 11 July 2011.
MEETING_PUBLISHED = (2011, 7, 8, 10, 0)
# Not in the seeds: when version 1 of the programme draft was published (Europe/Warsaw), after
# the report on the consultation of the meeting's results (29 August 2011) and before the
# deadline for adopting the 2012–2014 programme (30 November 2011): so that its adoption can be
# recorded with a date of 2011, as it would have been, not the day the demo was loaded.
VERSION_1_PUBLISHED = (2011, 9, 15, 12, 0)

# "Plan spotkania": (numeral, title, SWOT topics under it)
MEETING_PLAN = [
    (
        "I.",
        "Analiza SWOT (silne i słabe strony, szanse i zagrożenia)",
        [
            "Współpraca organizacji pozarządowych z Miastem w obszarze przeciwdziałania wykluczeniu społecznemu",
            "Współpraca organizacji pozarządowych z Miastem w rozwiązań systemowych w realizacji działań publicznych",
        ],
    ),
    ("II.", "Określenie celów współpracy samorządu z organizacjami i propozycje rozwiązań", []),
    ("III.", "Propozycja podjęcia konkretnych działań w odniesieniu do poszczególnych celów.", []),
]

# "Zasady współpracy podczas spotkania": the rules every new meeting starts with.
MEETING_RULES = defaults.MEETING_RULES

# "Dalsze kroki"
MEETING_NEXT_STEPS = [
    "Upubliczenie wypracowanych dokumentów.",
    "Poddanie ich konsultacji (inne organizacje, eksperci, urzędnicy).",
    "Zebranie sugestii i komentarzy przez Zespół Koordynujący.",
    "Kolejne spotkanie – konsultacja wypracowanych rozwiązań i założeń (wrzesień).",
    "Zespół koordynacyjny podsumowuje uwagi i przygotowanie dokumentu.",
    "Ostateczna konsultacja projektu (koniec września).",
]

ANNEX_NUMBER = 3
ANNEX_TITLE = (
    "POSTULOWANE DZIAŁANIA –LISTA WYPRACOWANA PODCZAS SPOTKANIA ZESPOŁU BRANŻOWEGO "
    "DS. WYKLUCZENIA SPOŁECZNEGO ZREALIZOWANEGO 6.07.2011 r. W RAMACH PRAC NAD WIELOLETNIM "
    "PROGRAMEM WSPÓŁPRACY GMINY MIASTA KRAKÓW Z ORGANIZACJAMI POZARZĄDOWYMI NA LATA 2012-2014"
)

# Załącznik nr 3, "Postulowane działania", numbered 1–18.
ANNEX_3_ACTIONS = [
    "Poszerzenie zakresu delegowanych organizacjom zadań (np. przez Urząd Pracy).",
    "Stworzenie ofert programowych dla grup pomijanych, niespełniających kryteriów istniejących propozycji.",
    "Prowadzenie przez Miasto, we współpracy z organizacjami diagnozy problemów społecznych i monitorowanie zjawisk z obszaru wykluczenia społecznego w Krakowie.",
    "Przekazywanie przez Miasto bieżącej informacji (nie tylko w Internecie) na temat tego, co aktualnie dzieje się w Krakowie dla grup pomijanych, tak, aby organizacje mogły odsyłać osoby niespełniające warunków przystąpienia do realizowanych przez nie programów w odpowiednie miejsca.",
    "W ramach możliwości upraszczanie procedur na poziomie samorządu oraz określenie jasnych zasad (i terminów) rozpatrywania wniosków, przyznawania i przekazywania dotacji.",
    "Wzrost zaangażowania Miasta w promocję organizacji pozarządowych. Przekazywanie organizacjom (wszystkim i z odpowiednim wyprzedzeniem czasowym) informacji o realizowanych w tym obszarze działaniach.",
    "Profilaktyka pierwszorzędowa – zapobieganie zamiast naprawiania; zwiększenie finansowanie działań prewencyjnych.",
    "Zwiększenie zastosowania klauzul społecznych – kampania informacyjna, szkolenie dla urzędników w tym zakresie.",
    "Wypracowanie w ramach konsultacji społecznych rozwiązań w obszarze mieszkalnictwa socjalnego.",
    "Zwiększenie dostępu organizacji do lokali użytkowych; większa przejrzystość informacji w tym obszarze; szkolenie dla organizacji na temat tego, jak uzyskać dostęp do lokali (np. z zakresu startowania w przetargach, licytacjach).",
    "Wzmocnienie działań w obszarze samotnego rodzicielstwa.",
    "Organizacja i promocja działań realizowanych w partnerstwie między różnymi organizacjami.",
    "Zwiększenie aktywności i promocja MOWIS-u.",
    "Stworzenie/udostępnienie reprezentacyjnej sali do organizacji większych spotkań, zwłaszcza w weekendy.",
    "Stworzenie bazy organizacji zagranicznych chętnych do współpracy z organizacjami krakowskimi.",
    "Kontynuacja pracy zespołów branżowych po wypracowaniu Wieloletniego Programu Współpracy.",
    "Stworzenie giełdy pracy między organizacjami – co pozwoli np. na odpowiednie kierowanie osób wykonujących prace społeczne.",
    "Aktywizacja osób, dla których działają organizacje (osób wykluczonych, zagrożonych wykluczeniem) już na etapie tworzenia programów pomocy i wsparcia; oddanie im głosu w sprawach, które ich dotyczą.",
]
