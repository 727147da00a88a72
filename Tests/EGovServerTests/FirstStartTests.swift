import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing

@Suite("First start")
struct FirstStartTests {
    @Test("first start loads the demo pack, creates admin and writes the credential files 0600", arguments: TestDatabase.enabled)
    func firstStart(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            var services = egov.app.egov
            var configuration = services.configuration
            configuration.initialPack = TestInstallation.demoPack
            services = PlatformServices(configuration: configuration, secrets: services.secrets, clock: services.clock,
                                        modules: services.modules, threadPool: egov.app.threadPool)
            // MUT
            let outcome = try await InstallationSetup(services: services).run(on: egov.app.db, logger: egov.app.logger)
            let again = try await InstallationSetup(services: services).run(on: egov.app.db, logger: egov.app.logger)
            // validate
            let password = try #require(outcome.adminPassword)
            #expect(again.adminPassword == nil && !again.packImported)
            let admin = configuration.dataDirectory.appendingPathComponent("initial-admin.txt")
            #expect(try String(contentsOf: admin, encoding: .utf8) == "username: admin\npassword: \(password)\n")
            let demo = configuration.dataDirectory.appendingPathComponent("demo-users.txt")
            for file in [admin, demo] {
                #expect((try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int) == 0o600)
            }
            let lines = try String(contentsOf: demo, encoding: .utf8).split(separator: "\n")
            #expect(lines.count >= 20)
            var positions: Set<String> = []
            var officerUnits: Set<String> = [], sealUnits: Set<String> = []
            for line in lines {
                let fields = line.split(separator: " ")
                // username, unit, position, password, and the signing PIN (issue 13); a unit's seal is
                // `seal.<unit> <unit> seal - <PIN>`.
                #expect(fields.count == 5)
                #expect(fields[4].count == 6 && fields[4].allSatisfy(\.isNumber))
                #expect(ElectronicCodeCheck.isValid(String(fields[1])))
                if fields[2] == "seal" {
                    #expect(fields[0] == "seal.\(fields[1])" && fields[3] == "-")
                    sealUnits.insert(String(fields[1]))
                } else {
                    positions.insert(String(fields[2]))
                    officerUnits.insert(String(fields[1]))
                }
            }
            #expect(positions == Set(["leader", "deputy", "specialist", "clerk", "oneStopOfficer", "admin", "divisionHead"]))
            // Every unit with a demo officer has a seal.
            #expect(sealUnits == officerUnits)

            // The printed admin login signs in, and so does a demo user with the listed password.
            #expect(try await egov.token("admin", password: password).isEmpty == false)
            let first = lines[0].split(separator: " ")
            #expect(try await egov.token(String(first[0]), password: String(first[3])).isEmpty == false)
            let me = try await egov.send(.GET, "/api/v1/me", token: try await egov.token("admin", password: password))
            #expect(me.body.string.contains(#""position":"admin""#))
            #expect(me.body.string.contains(#""unitCode":"000.00.00.H99""#))
        }
    }
}

import EGovCore
enum ElectronicCodeCheck {
    static func isValid(_ code: String) -> Bool { ElectronicCode.isValid(code) }
}
