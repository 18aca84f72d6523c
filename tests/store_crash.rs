//! The annotation store under `kill -9` and concurrent processes: a child process (this
//! test binary re-invoked with `QARI_STORE_CHILD` set) streams edits (every 5 ms) and prints the id of
//! each one after `add` returned `Ok`; the parent writes through its own handle at the same
//! time, kills the child with SIGKILL at a varying moment, reopens the store and checks
//! that every acknowledged edit, its own and the child's, is there.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use qari::annotate::store::{Doc, Store};
use qari::annotate::Annotation;

const TEXT: &str = "افتتح محمد صلاح أكاديميةً جديدة في القَاهِرَة 🇪🇬 بالتعاون مع جامعة الدول العربية.";
const CHILD: &str = "QARI_STORE_CHILD";

fn ann(id: String) -> Annotation {
    let s = TEXT.find("محمد صلاح").unwrap();
    Annotation::new(id, s, s + "محمد صلاح".len(), "PER")
}

/// The child: only does something when re-invoked by `kill_9_loses_no_acknowledged_edit`.
#[test]
fn store_writer_child() {
    let Ok(path) = std::env::var(CHILD) else {
        return;
    };
    let mut store = Store::open(&path).expect("child opens the store");
    let doc = Doc {
        path: "child.txt",
        text: TEXT,
    };
    for i in 0.. {
        let a = store.add(doc, &ann(format!("c{i}"))).expect("child add");
        if i % 2 == 1 {
            store.delete(&format!("c{}", i - 1)).expect("child delete");
            println!("del c{}", i - 1);
        }
        println!("add {}", a.id);
        // Edits come at a human pace (still far faster than a human): a writer that
        // never pauses would starve the other process past the busy timeout.
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn kill_9_loses_no_acknowledged_edit() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("annotations.db");
    let exe = std::env::current_exe().unwrap();
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let mut parent = Store::open(&path).unwrap();
    let pdoc = Doc {
        path: "parent.txt",
        text: TEXT,
    };
    let mut parent_ids = Vec::new();
    for round in 0..4u32 {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "store_writer_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Kill after a varying number of acknowledged edits (or a time limit).
        let target = 5 + (seed.wrapping_mul(round + 1) % 60) as usize;
        let mut acked: Vec<String> = Vec::new();
        let started = Instant::now();
        let mut n = 0;
        while let Some(Ok(line)) = lines.next() {
            if let Some(rest) = line.strip_prefix("add ") {
                acked.push(format!("+{rest}"));
            } else if let Some(rest) = line.strip_prefix("del ") {
                acked.push(format!("-{rest}"));
            } else {
                continue;
            }
            n += 1;
            // The parent writes concurrently.
            let a = parent.add(pdoc, &ann(format!("p{round}-{n}"))).unwrap();
            parent_ids.push(a.id);
            if n >= target || started.elapsed() > Duration::from_secs(20) {
                break;
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // Lines the child printed before dying were acknowledged too.
        for line in lines.map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("add ") {
                acked.push(format!("+{rest}"));
            } else if let Some(rest) = line.strip_prefix("del ") {
                acked.push(format!("-{rest}"));
            }
        }
        assert!(
            !acked.is_empty(),
            "round {round}: the child acknowledged nothing"
        );

        let store = Store::open(&path).unwrap();
        let live: std::collections::BTreeSet<String> = store
            .annotations_for(Doc {
                path: "child.txt",
                text: TEXT,
            })
            .unwrap()
            .live
            .into_iter()
            .map(|a| a.id)
            .collect();
        // Replay the acknowledged edits: what must exist, what must be gone.
        let mut want = std::collections::BTreeSet::new();
        for e in &acked {
            let (op, id) = e.split_at(1);
            if op == "+" {
                want.insert(id.to_string());
            } else {
                want.remove(id);
            }
        }
        for id in &want {
            assert!(live.contains(id), "round {round}: acknowledged {id} lost");
        }
        for e in acked.iter().filter(|e| e.starts_with('-')) {
            assert!(
                !live.contains(&e[1..]),
                "round {round}: deleted {e} is back"
            );
        }
        // At most one unacknowledged add (the one in flight) may be there too.
        assert!(live.len() <= want.len() + 1, "round {round}");
        let parent_live = store.annotations_for(pdoc).unwrap().live;
        assert_eq!(parent_live.len(), parent_ids.len(), "round {round}");
        // The next round's child starts again at c0: clear this round's annotations.
        drop(store);
        for id in &live {
            parent.delete(id).unwrap();
        }
    }
}
