//! Word lists for titles and organisation heads (used as CRF features and to clean
//! mention spans), and nisba adjectives that are not entities on their own.
//!
//! The notes measured that hard trigger rules (title → PER, `وزارة` → ORG) add about as
//! many false positives as hits, so the triggers are *features* the CRF weighs; the only
//! hard rule is that a span made only of titles and nisba adjectives is dropped.

use super::hash::{hash_bytes, HashSet64};
use super::normalize::norm;
use std::sync::OnceLock;

/// The trigger class of a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    None,
    /// A title before a person's name (الرئيس، وزير، المتحدث، السفير…).
    Title,
    /// A head noun of an organisation name (وزارة، وكالة، مجلس، منظمة، شركة…).
    OrgHead,
    /// A nisba adjective of a country (الروسي، الأمريكية…).
    Nisba,
}

impl Trigger {
    pub fn name(self) -> Option<&'static str> {
        match self {
            Trigger::None => None,
            Trigger::Title => Some("title"),
            Trigger::OrgHead => Some("orghead"),
            Trigger::Nisba => Some("nisba"),
        }
    }
}

const TITLES: &[&str] = &[
    "الرئيس",
    "رئيس",
    "الرئيسة",
    "رئيسة",
    "نائب",
    "وزير",
    "الوزير",
    "وزيرة",
    "الوزيرة",
    "المتحدث",
    "المتحدثة",
    "متحدث",
    "الناطق",
    "السفير",
    "سفير",
    "السفيرة",
    "المعارض",
    "المعارضة",
    "الملك",
    "الملكة",
    "الأمير",
    "الأميرة",
    "ولي",
    "الشيخ",
    "السيد",
    "السيدة",
    "الجنرال",
    "اللواء",
    "العقيد",
    "العميد",
    "المستشار",
    "المستشارة",
    "النائب",
    "الأمين",
    "أمين",
    "مدير",
    "المدير",
    "مديرة",
    "المبعوث",
    "مبعوث",
    "الدكتور",
    "د",
    "البابا",
    "الزعيم",
    "زعيم",
    "القائد",
    "قائد",
    "المرشد",
    "الصحفي",
    "الصحافي",
    "الناشط",
    "الناشطة",
    "الكاتب",
    "المحلل",
    "الخبير",
    "المفوض",
    "المندوب",
    "مندوب",
    "رئيسي",
];

const ORG_HEADS: &[&str] = &[
    "وزارة",
    "الوزارة",
    "وكالة",
    "الوكالة",
    "مجلس",
    "المجلس",
    "منظمة",
    "المنظمة",
    "شركة",
    "الشركة",
    "حزب",
    "الحزب",
    "جامعة",
    "الجامعة",
    "حركة",
    "الحركة",
    "جمعية",
    "هيئة",
    "اتحاد",
    "الاتحاد",
    "بنك",
    "البنك",
    "مصرف",
    "صحيفة",
    "الصحيفة",
    "قناة",
    "القناة",
    "صندوق",
    "مؤسسة",
    "المؤسسة",
    "جبهة",
    "الجبهة",
    "لجنة",
    "اللجنة",
    "مكتب",
    "محكمة",
    "المحكمة",
    "مجموعة",
    "جيش",
    "الجيش",
    "نادي",
    "النادي",
    "معهد",
    "المعهد",
    "مركز",
    "برلمان",
    "البرلمان",
    "حكومة",
    "الحكومة",
    "مفوضية",
    "المفوضية",
    "تنظيم",
    "ائتلاف",
];

const NISBA: &[&str] = &[
    "الأمريكي",
    "الأمريكية",
    "الأميركي",
    "الأميركية",
    "الأمريكيين",
    "الأمريكيون",
    "الأميركيين",
    "الأميركيون",
    "الروسي",
    "الروسية",
    "الروس",
    "الأوكراني",
    "الأوكرانية",
    "البيلاروسي",
    "البيلاروسية",
    "السويسري",
    "السويسرية",
    "الصيني",
    "الصينية",
    "الفرنسي",
    "الفرنسية",
    "الألماني",
    "الألمانية",
    "البريطاني",
    "البريطانية",
    "الإيراني",
    "الإيرانية",
    "العراقي",
    "العراقية",
    "السوري",
    "السورية",
    "المصري",
    "المصرية",
    "السعودي",
    "التركي",
    "التركية",
    "الإسرائيلي",
    "الإسرائيلية",
    "الفلسطيني",
    "الفلسطينية",
    "اللبناني",
    "اللبنانية",
    "الأردني",
    "الأردنية",
    "القطري",
    "القطرية",
    "الإماراتي",
    "الإماراتية",
    "الأوروبي",
    "الأوروبية",
    "الأوروبيين",
    "العربي",
    "الغربي",
    "الغربية",
    "السابق",
    "السابقة",
    "الحالي",
    "الجديد",
    "الأول",
    "أمريكي",
    "أميركي",
    "أمريكية",
    "أميركية",
    "روسي",
    "روسية",
];

struct Lists {
    given: HashSet64,
    titles: HashSet64,
    heads: HashSet64,
    nisba: HashSet64,
}

fn set<'a>(words: impl Iterator<Item = &'a str>) -> HashSet64 {
    words.map(|w| hash_bytes(norm(w).as_bytes())).collect()
}

fn lists() -> &'static Lists {
    static L: OnceLock<Lists> = OnceLock::new();
    L.get_or_init(|| Lists {
        given: set(include_str!("../../assets/gazetteer/given-names.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace)),
        titles: set(TITLES.iter().copied()),
        heads: set(ORG_HEADS.iter().copied()),
        nisba: set(NISBA.iter().copied()),
    })
}

/// The trigger class of a normalized (clitic-stripped) word.
pub fn trigger_class(word: &str) -> Trigger {
    let l = lists();
    let h = hash_bytes(word.as_bytes());
    if l.titles.contains(&h) {
        Trigger::Title
    } else if l.heads.contains(&h) {
        Trigger::OrgHead
    } else if l.nisba.contains(&h) {
        Trigger::Nisba
    } else {
        Trigger::None
    }
}

/// True for a normalized word that is a common given name (`assets/gazetteer/given-names.txt`).
pub fn is_given_name(word: &str) -> bool {
    lists().given.contains(&hash_bytes(word.as_bytes()))
}

/// True for a normalized word that never makes an entity on its own: a title or a nisba
/// adjective (organisation heads can: `الحكومة` is often annotated).
pub fn is_not_a_name(word: &str) -> bool {
    matches!(trigger_class(word), Trigger::Title | Trigger::Nisba)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(trigger_class(&norm("الرئيس")), Trigger::Title);
        assert_eq!(trigger_class(&norm("وزارة")), Trigger::OrgHead);
        assert_eq!(trigger_class(&norm("الأميركية")), Trigger::Nisba);
        assert_eq!(trigger_class(&norm("بوتين")), Trigger::None);
        assert!(is_not_a_name(&norm("الروسي")));
        assert!(!is_not_a_name(&norm("روسيا")));
        assert!(is_given_name(&norm("أسامة")));
        assert!(is_given_name(&norm("سيرغي")));
        assert!(!is_given_name(&norm("الرئيس")));
    }
}
