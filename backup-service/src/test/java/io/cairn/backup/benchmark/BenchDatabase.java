package io.cairn.backup.benchmark;

import io.cairn.testing.stack.StackAddresses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A database of the benchmark's own, so no other test's clean-up ends its jobs and no old job holds a slot. */
record BenchDatabase(StackAddresses stack, String name) {

    /** Created by the cluster's superuser (the local cluster trusts local connections), owned by the service role. */
    static BenchDatabase create(StackAddresses stack, String runId) {
        BenchDatabase database = new BenchDatabase(stack, "cairn_bench_" + runId.replace('-', '_'));
        database.asSuperuser("CREATE DATABASE " + database.name + " OWNER " + stack.pgUser());
        return database;
    }

    /** Every job's host and slot-holding interval (started_at to ended_at, the service's own clock). */
    List<JobInterval> jobIntervals() {
        List<JobInterval> intervals = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl(name), stack.pgUser(),
                stack.pgPassword()); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select command_id, host_id, state, requested_at, started_at, ended_at from backup_job")) {
            while (rows.next()) {
                intervals.add(new JobInterval(rows.getString(1), rows.getString(2), rows.getString(3),
                        instant(rows, 4), instant(rows, 5), instant(rows, 6)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the jobs of " + name, e);
        }
        return intervals;
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        java.sql.Timestamp value = rows.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    void drop() {
        try {
            asSuperuser("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (RuntimeException e) {
            System.err.println("could not drop " + name + ": " + e);
        }
    }

    private void asSuperuser(String sql) {
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl("postgres"), "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
