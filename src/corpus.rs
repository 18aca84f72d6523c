//! The sample corpus (the five seed pages), embedded so that `qari` works after `cargo install`.

/// File name and contents of each seed, in natural order.
pub static SAMPLE: &[(&str, &str)] = &[
    (
        "000_94303d6c96739133.txt",
        include_str!("../seeds/000_94303d6c96739133.txt"),
    ),
    (
        "001_05dbd7d067c3b654.txt",
        include_str!("../seeds/001_05dbd7d067c3b654.txt"),
    ),
    (
        "002_22cd7a0e0513d5f9.txt",
        include_str!("../seeds/002_22cd7a0e0513d5f9.txt"),
    ),
    (
        "003_990989e30db10d51.txt",
        include_str!("../seeds/003_990989e30db10d51.txt"),
    ),
    (
        "004_fcfccb8db0a61b92.txt",
        include_str!("../seeds/004_fcfccb8db0a61b92.txt"),
    ),
];
