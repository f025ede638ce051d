//! The run database (SQLite): runs, targets, evidence, findings and grades, so operators
//! and researchers can query history across runs. (Being built: see issue 8.)
