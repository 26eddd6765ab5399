"""Name stock for demo guests: Muscovites in Cyrillic, visitors and expats in Latin script."""

from __future__ import annotations

MALE_FIRST = (
    "Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим", "Виктор", "Владимир",
    "Глеб", "Григорий", "Денис", "Дмитрий", "Евгений", "Егор", "Иван", "Игорь", "Илья", "Кирилл",
    "Константин", "Лев", "Максим", "Матвей", "Михаил", "Никита", "Николай", "Олег", "Павел",
    "Роман", "Сергей", "Станислав", "Тимур", "Фёдор", "Юрий", "Ярослав",
)  # fmt: skip
FEMALE_FIRST = (
    "Алина", "Алёна", "Алиса", "Анастасия", "Анна", "Валерия", "Вера", "Виктория", "Дарья",
    "Ева", "Екатерина", "Елена", "Елизавета", "Ирина", "Ксения", "Людмила", "Маргарита",
    "Марина", "Мария", "Наталья", "Ольга", "Полина", "Светлана", "София", "Таисия", "Татьяна",
    "Ульяна", "Юлия", "Яна",
)  # fmt: skip
# Male forms; the female form is derived (Иванов → Иванова, Вяземский → Вяземская).
SURNAMES = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
    "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
    "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
    "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв",
    "Сергеев", "Кириллов", "Белов", "Тихонов", "Комаров", "Богданов", "Виноградов", "Вяземский",
    "Голицын", "Жуковский", "Щербаков", "Ефимов", "Карпов", "Литвинов", "Медведев", "Осипов",
)  # fmt: skip

# (full name, phone country code, national-number generator prefix, e-mail domain)
INTERNATIONAL = (
    ("James Carter", "+44", "7911", "gmail.com"),
    ("Emily Watson", "+44", "7700", "outlook.com"),
    ("Oliver Bennett", "+44", "7823", "gmail.com"),
    ("Michael Thompson", "+1", "212", "gmail.com"),
    ("Sarah Mitchell", "+1", "646", "icloud.com"),
    ("David Kim", "+1", "415", "gmail.com"),
    ("Lukas Schneider", "+49", "151", "gmx.de"),
    ("Anna Becker", "+49", "170", "web.de"),
    ("Sophie Laurent", "+33", "6", "orange.fr"),
    ("Julien Moreau", "+33", "6", "gmail.com"),
    ("Giulia Romano", "+39", "347", "libero.it"),
    ("Marco Bianchi", "+39", "335", "gmail.com"),
    ("Li Wei", "+86", "138", "qq.com"),
    ("Zhang Min", "+86", "139", "163.com"),
    ("Mehmet Yilmaz", "+90", "532", "gmail.com"),
    ("Aigerim Nurlanovna", "+7", "701", "mail.kz"),
    ("Hiroshi Tanaka", "+81", "90", "gmail.com"),
    ("Elena García", "+34", "6", "gmail.com"),
    ("Noah Fischer", "+41", "79", "bluewin.ch"),
    ("Ahmed Al Mansouri", "+971", "50", "gmail.com"),
    ("Sofia Andersson", "+46", "70", "gmail.com"),
    ("Pieter de Vries", "+31", "6", "ziggo.nl"),
    ("Rachel Green", "+7", "916", "gmail.com"),
    ("Thomas Müller", "+7", "925", "gmail.com"),
    ("Claire Dubois", "+7", "985", "gmail.com"),
    ("Daniel Cohen", "+972", "52", "gmail.com"),
    ("Arjun Mehta", "+91", "98", "gmail.com"),
    ("Isabella Rossi", "+7", "903", "gmail.com"),
    ("William Harris", "+7", "977", "protonmail.com"),
    ("Chloe Martin", "+33", "7", "gmail.com"),
)

RUSSIAN_MOBILE_PREFIXES = (
    "903", "905", "906", "909", "910", "915", "916", "917", "919", "925", "926", "929", "936",
    "958", "962", "965", "967", "977", "985", "991", "999",
)  # fmt: skip
RUSSIAN_EMAIL_DOMAINS = ("mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru", "ya.ru")

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip


def female_surname(surname: str) -> str:
    if surname.endswith("ий"):
        return surname[:-2] + "ая"
    return surname + "а"


def transliterate(text: str) -> str:
    """Latin letters for an e-mail local part (passport-style, lower case)."""
    out = []
    for ch in text.lower():
        if ch in _TRANSLIT:
            out.append(_TRANSLIT[ch])
        elif ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch in " -":
            out.append(".")
        elif ch == "ü":
            out.append("ue")
        elif ch == "í":
            out.append("i")
    return "".join(out).strip(".")
