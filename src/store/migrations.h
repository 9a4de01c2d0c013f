#pragma once
// The schema as a numbered list of migrations, applied in order at open; each runs once.

#include "store/sql.h"

namespace carescan::store {

// Applies the migrations the database has not seen, in one transaction, and returns the schema
// version now in place. Several processes opening the same database at once apply each once.
int migrate(sql::Connection& connection, Time now);

// The newest schema version this build knows.
int latest_schema_version();

}  // namespace carescan::store
