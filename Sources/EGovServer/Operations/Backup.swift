import EGovPlatform
import EGovWeb
import Foundation
import SQLKit
import Vapor

/// `egov backup` / `egov restore`: one `.tar.gz` with the database (a consistent SQLite copy made by
/// `VACUUM INTO`, or a `pg_dump` custom-format dump), the file store and the installation secret
/// (without it, encrypted personal data could not be read after a restore: keep backups private).
public enum Backup {
    public struct Manifest: Codable, Sendable {
        public var format = "open-egov-backup"
        public var version = 1
        public var database: String
        public var createdAt: Date
    }

    public enum BackupError: Error, CustomStringConvertible {
        case tool(String, Int32, String)
        case notABackup
        case targetNotEmpty(String)
        case wrongDatabase(String)

        public var description: String {
            switch self {
            case let .tool(name, status, output): "\(name) failed (exit \(status)): \(output)"
            case .notABackup: "not an Open eGov backup file (manifest.json missing or unreadable)"
            case let .targetNotEmpty(what): "\(what) is not empty; use --force to overwrite it"
            case let .wrongDatabase(kind): "this backup holds a \(kind) database; set DATABASE_URL accordingly (restoring across engines is not supported)"
            }
        }
    }

    /// Writes the backup of a configured, running application to `file`.
    public static func create(app: Application, to file: URL, progress: (String) -> Void) async throws {
        let configuration = app.egov.configuration
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("egov-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: staging) }

        let kind: String
        if let url = configuration.databaseURL, configuration.usesPostgres {
            kind = "postgres"
            progress("pg_dump…")
            try run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", staging.appendingPathComponent("database.pgdump").path,
                                "--dbname", url])
        } else {
            kind = "sqlite"
            progress("SQLite VACUUM INTO…")
            guard let sql = app.db as? any SQLDatabase else { throw BackupError.wrongDatabase("unknown") }
            let target = staging.appendingPathComponent("egov.sqlite").path.replacingOccurrences(of: "'", with: "''")
            try await sql.raw("VACUUM INTO '\(unsafeRaw: target)'").run()
        }
        progress("files…")
        if FileManager.default.fileExists(atPath: configuration.filesDirectory.path) {
            try FileManager.default.copyItem(at: configuration.filesDirectory, to: staging.appendingPathComponent("files"))
        }
        let secret = configuration.dataDirectory.appendingPathComponent("secret.key")
        if FileManager.default.fileExists(atPath: secret.path) {
            try FileManager.default.copyItem(at: secret, to: staging.appendingPathComponent("secret.key"))
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(Manifest(database: kind, createdAt: Date())).write(to: staging.appendingPathComponent("manifest.json"))
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        progress("archive…")
        try run("tar", ["-czf", file.path, "-C", staging.path, "."])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    }

    /// Restores a backup into the configured data directory (and PostgreSQL database, if any).
    /// Refuses to overwrite existing data unless `force`. Run it with the server stopped.
    public static func restore(_ file: URL, configuration: EGovConfiguration, force: Bool, progress: (String) -> Void) throws -> Manifest {
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("egov-restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: staging) }
        progress("unpacking…")
        try run("tar", ["-xzf", file.path, "-C", staging.path])
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let data = FileManager.default.contents(atPath: staging.appendingPathComponent("manifest.json").path),
              let manifest = try? decoder.decode(Manifest.self, from: data), manifest.format == "open-egov-backup"
        else { throw BackupError.notABackup }

        let fm = FileManager.default
        try fm.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        switch (manifest.database, configuration.usesPostgres) {
        case ("sqlite", false):
            let target = configuration.sqliteFile
            if fm.fileExists(atPath: target.path) {
                guard force else { throw BackupError.targetNotEmpty(target.path) }
                for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: target.path + suffix) }
            }
            progress("database…")
            try fm.copyItem(at: staging.appendingPathComponent("egov.sqlite"), to: target)
        case ("postgres", true):
            guard let url = configuration.databaseURL else { throw BackupError.wrongDatabase("postgres") }
            progress("pg_restore…")
            var arguments = ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--dbname", url]
            if force { arguments += ["--clean", "--if-exists"] }
            try run("pg_restore", arguments + [staging.appendingPathComponent("database.pgdump").path])
        default:
            throw BackupError.wrongDatabase(manifest.database)
        }
        progress("files…")
        let files = staging.appendingPathComponent("files")
        if fm.fileExists(atPath: files.path) {
            try fm.createDirectory(at: configuration.filesDirectory, withIntermediateDirectories: true)
            let enumerator = fm.enumerator(at: files, includingPropertiesForKeys: [.isRegularFileKey])
            while let item = enumerator?.nextObject() as? URL {
                guard (try? item.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
                let relative = String(item.standardizedFileURL.path.dropFirst(files.standardizedFileURL.path.count + 1))
                let target = configuration.filesDirectory.appendingPathComponent(relative)
                if fm.fileExists(atPath: target.path) { continue }
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fm.copyItem(at: item, to: target)
            }
        }
        let secret = staging.appendingPathComponent("secret.key")
        let targetSecret = configuration.dataDirectory.appendingPathComponent("secret.key")
        if fm.fileExists(atPath: secret.path) {
            if fm.fileExists(atPath: targetSecret.path) {
                guard force || fm.contentsEqual(atPath: secret.path, andPath: targetSecret.path) else {
                    throw BackupError.targetNotEmpty(targetSecret.path)
                }
                try fm.removeItem(at: targetSecret)
            }
            try fm.copyItem(at: secret, to: targetSecret)
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: targetSecret.path)
        }
        return manifest
    }

    static func run(_ tool: String, _ arguments: [String]) throws {
        let (output, status) = try capture(tool, arguments)
        guard status == 0 else { throw BackupError.tool(tool, status, output.prefix(2000).description) }
    }

    /// Runs a tool found on PATH; its combined output and exit status.
    static func capture(_ tool: String, _ arguments: [String]) throws -> (output: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), process.terminationStatus)
    }
}
