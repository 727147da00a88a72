import ArgumentParser
import EGovPlatform
import EGovServer
import Foundation
import Logging
import Vapor

struct GlobalOptions: ParsableArguments {
    @ArgumentParser.Option(name: .long, help: "Data directory: embedded database, files, secrets (default: ./egov-data).")
    var dataDir: String?

    func configuration() -> EGovConfiguration {
        EGovConfiguration.fromEnvironment(dataDirectory: dataDir)
    }
}

/// Builds a configured application, runs `body`, and always shuts it down.
enum AppRunner {
    /// Console logs by default; `LOG_FORMAT=json` gives one JSON object per line. `LOG_LEVEL` sets the level.
    private static let logging: Void = {
        let environment = ProcessInfo.processInfo.environment
        if environment["LOG_FORMAT"] == "json" {
            let level = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        } else {
            var env = Environment(name: "production", arguments: ["egov"])
            try? LoggingSystem.bootstrap(from: &env)
        }
    }()

    static func withApp<T>(_ configuration: EGovConfiguration, options: RuntimeOptions = .init(),
                           _ body: (Application) async throws -> T) async throws -> T {
        _ = logging
        let app = try await Application.make(Environment(name: "production", arguments: ["egov"]))
        do {
            try await configure(app, configuration: configuration, modules: BuiltInModules.all, options: options)
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// The demo pack: `./packs/demo`, else the `packs/demo` of the checkout the binary was built in.
    static func findDemoPack() -> URL? {
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("packs/demo")]
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(directory.appendingPathComponent("packs/demo"))
            directory.deleteLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("pack.yaml").path) }
    }
}

/// Messages for people at a terminal go to standard error, keeping standard output for data.
func say(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
