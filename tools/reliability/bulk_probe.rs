//! Time `Y` (accept every mention of an entity across the sources) on the first N files.
//!     cargo run --release --example bulk_probe -- /tmp/huge/many 5000
use qari::tui::action::Action;
use qari::tui::annotate::StoreAt;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = &args[1];
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5000);
    let (mut entries, _) = qari::source::list_paths(&[dir.into()]);
    entries.truncate(n);
    let opts = qari::source::LoadOptions::default();
    let config = qari::tui::config::Config::defaults();
    let theme = qari::tui::theme::Theme::new(qari::tui::config::ThemeName::Dark);
    let mut app =
        qari::tui::app::App::new(config, theme, qari::tui::store::PositionStore::open(None).0);
    let tmp = tempfile::tempdir().unwrap();
    app.on_resize(140, 35);
    app.use_store(StoreAt::Path(tmp.path().join("a.db")));
    app.loading = Some((0, entries.len()));
    qari::source::load_each(&entries, &opts, |ev| {
        app.on_load_event(ev);
        app.evict_texts();
        std::ops::ControlFlow::Continue(())
    });
    app.open(2, 0);
    app.update(Action::Annotate, None);
    app.update(Action::NextUnreviewed, None);
    let t = std::time::Instant::now();
    app.update(Action::AcceptAll, None);
    println!("Y: {:?}: {:?}", t.elapsed(), app.message);
    let t = std::time::Instant::now();
    app.update(Action::Undo, None);
    println!(
        "u: {:?}: {:?}",
        t.elapsed(),
        app.message
            .as_ref()
            .map(|m| m.0.chars().take(60).collect::<String>())
    );
}
