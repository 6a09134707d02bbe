//! Table-driven tests of the extractor: valid, defanged and invalid indicators.
