//! Word lists for titles and organisation heads (used as CRF features and to clean
//! mention spans), and nisba adjectives that are not entities on their own.
//!
//! The notes measured that hard trigger rules (title → PER, `وزارة` → ORG) add about as
//! many false positives as hits, so the triggers are *features* the CRF weighs; the only
//! hard rule is that a span made only of titles and nisba adjectives is dropped.

use super::normalize::norm;
use std::collections::HashSet;
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
    titles: HashSet<String>,
    heads: HashSet<String>,
    nisba: HashSet<String>,
}

fn lists() -> &'static Lists {
    static L: OnceLock<Lists> = OnceLock::new();
    L.get_or_init(|| Lists {
        titles: TITLES.iter().map(|s| norm(s)).collect(),
        heads: ORG_HEADS.iter().map(|s| norm(s)).collect(),
        nisba: NISBA.iter().map(|s| norm(s)).collect(),
    })
}

/// The trigger class of a normalized (clitic-stripped) word.
pub fn trigger_class(word: &str) -> Trigger {
    let l = lists();
    if l.titles.contains(word) {
        Trigger::Title
    } else if l.heads.contains(word) {
        Trigger::OrgHead
    } else if l.nisba.contains(word) {
        Trigger::Nisba
    } else {
        Trigger::None
    }
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
    }
}
