import ArgumentParser
import EGovPlatform
import EGovServer
import Foundation
import Vapor

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the server (migrates and loads the demo pack on first start).")

    @OptionGroup var global: GlobalOptions
    @ArgumentParser.Option(help: "Address to listen on.") var host = "127.0.0.1"
    @ArgumentParser.Option(help: "Port to listen on.") var port = 8080
    @ArgumentParser.Option(help: "Locality pack to load into an empty database (default: packs/demo).") var pack: String?
    @ArgumentParser.Flag(name: .customLong("no-migrate"), help: "Do not run database migrations at start.") var noMigrate = false
    @ArgumentParser.Flag(name: .customLong("payment-sandbox"),
                         help: "Take online payments in the built-in sandbox gateway (demonstrations only; same as EGOV_PAYMENT_SANDBOX=1).")
    var paymentSandbox = false

    func run() async throws {
        var configuration = global.configuration()
        configuration.host = host
        configuration.port = port
        configuration.autoMigrate = !noMigrate
        if paymentSandbox { configuration.payment.sandboxEnabled = true }
        configuration.initialPack = pack.map { URL(fileURLWithPath: $0) } ?? AppRunner.findDemoPack()
        try await AppRunner.withApp(configuration, options: RuntimeOptions(backgroundJobs: true)) { app in
            let outcome = try await InstallationSetup(services: app.egov).run(on: app.db, logger: app.logger)
            let dataDir = configuration.dataDirectory.path
            say("")
            say("Open eGov: http://\(host):\(port)/")
            say("  database: \(configuration.usesPostgres ? "PostgreSQL (DATABASE_URL)" : configuration.sqliteFile.path)")
            if let password = outcome.adminPassword {
                say("  administrator login: admin / \(password)")
                say("  (saved once in \(dataDir)/initial-admin.txt, mode 0600 — change it after signing in)")
            } else if FileManager.default.fileExists(atPath: "\(dataDir)/initial-admin.txt") {
                say("  administrator login: see \(dataDir)/initial-admin.txt")
            }
            if configuration.payment.usesSandbox {
                say("  online payments: SANDBOX gateway at /payment-sandbox (no real money; never in production)")
            } else if configuration.payment.gatewayURL == nil {
                say("  online payments: off (set EGOV_VNPAY_URL…, or --payment-sandbox for a demonstration)")
            }
            if let demo = outcome.demoUsersFile {
                say("  demo officers (one per position): \(demo.path)")
            }
            if configuration.initialPack == nil, try await UnitModel.query(on: app.db).count() == 0 {
                say("  no locality pack loaded: run `egov import-pack DIR`")
            }
            say("")
            try await app.execute()
            // SIGINT/SIGTERM: stop accepting, let the requests in flight finish (up to the server's
            // shutdown timeout), and only then let the databases close — in Vapor's own order the
            // database goes first and a request still running crashes in `Request.db`.
            say("stopping: finishing requests in flight…")
            await app.server.shutdown()
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run (or --revert) database migrations.")

    @OptionGroup var global: GlobalOptions
    @ArgumentParser.Flag(help: "Revert the last batch of migrations.") var revert = false

    func run() async throws {
        var configuration = global.configuration()
        configuration.autoMigrate = false
        try await AppRunner.withApp(configuration) { app in
            if revert {
                try await app.autoRevert()
                say("migrations reverted")
            } else {
                try await app.autoMigrate()
                say("database is up to date")
            }
        }
    }
}
