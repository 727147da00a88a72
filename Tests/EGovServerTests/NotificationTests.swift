import EGovCore
import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
@testable import PublicServices
import Testing
import VaporTesting

/// Keeps what it is asked to send; fails the first `failures` sends.
final class RecordingTransport: MailTransport, SMSProvider, @unchecked Sendable {
    private let lock = NSLock()
    private var mails: [MailMessage] = []
    private var texts: [(String, String)] = []
    private var failuresLeft: Int

    init(failures: Int = 0) { failuresLeft = failures }

    func send(_ message: MailMessage) async throws {
        try lock.withLock {
            if failuresLeft > 0 {
                failuresLeft -= 1
                throw TestSetupError("mail server down")
            }
            mails.append(message)
        }
    }

    func send(to phone: String, text: String) async throws { lock.withLock { texts.append((phone, text)) } }

    var sentMails: [MailMessage] { lock.withLock { mails } }
    var sentTexts: [(String, String)] { lock.withLock { texts } }
}

@Suite("Notifications through the outbox")
struct NotificationTests {
    static func transports(_ recorder: RecordingTransport) -> Outbox.Transports {
        Outbox.Transports(mail: recorder, sms: recorder, mailFrom: "no-reply@vanan.gov.vn", mailFromName: "Cổng dịch vụ công tỉnh Vân An")
    }

    @Test("reception, supplement request and result each tell the applicant by e-mail and SMS, through the outbox",
          arguments: TestDatabase.enabled)
    func lifecycleMessages(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let citizen = try await egov.citizen()
            let code = try await egov.submit(citizen, procedure: DossierLifecycleTests.guardianship, unit: DossierLifecycleTests.benThuy,
                                             attachments: DossierLifecycleTests.guardianshipFiles).content.decode(DossierJSON.self).code
            #expect(try await OutboxMessageModel.query(on: egov.app.db).count() == 0)
            try await egov.act("motcua.benthuy", code, "receive")
            egov.clock.advance(by: 600)
            try await egov.act("chuyenvien.benthuy", code, "request-supplement", note: "Thiếu bản sao văn bản cử giám hộ có chứng thực")

            let recorder = RecordingTransport()
            let sent = try await Outbox.deliverDue(on: egov.app.db, transports: Self.transports(recorder), now: egov.clock.date)
            #expect(sent == 4)
            let mails = recorder.sentMails
            #expect(mails.map(\.subject) == ["Hồ sơ \(code) đã được tiếp nhận", "Hồ sơ \(code) cần bổ sung, hoàn thiện"])
            #expect(mails.allSatisfy { $0.to == ["thuhuong@example.com"] && $0.from == "no-reply@vanan.gov.vn" })
            #expect(mails[0].body.contains("Ngày hẹn trả kết quả: 09:00 08/10/2026."))
            #expect(mails[1].body.contains("Thiếu bản sao văn bản cử giám hộ có chứng thực"))
            #expect(recorder.sentTexts.count == 2 && recorder.sentTexts.allSatisfy { $0.0 == "0912345678" })
            // Sent once: a second run finds nothing due.
            #expect(try await Outbox.deliverDue(on: egov.app.db, transports: Self.transports(recorder), now: egov.clock.date) == 0)
            let rows = try await OutboxMessageModel.query(on: egov.app.db).all()
            #expect(rows.allSatisfy { $0.status == "sent" && $0.reference == "dossier:\(code)" })
        }
    }

    @Test("a failing mail server is retried later with back-off, never lost", arguments: TestDatabase.enabled)
    func retries(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try await Outbox.enqueue(.email, to: "a@example.com", subject: "Thử", body: "Nội dung", reference: "test", at: egov.clock.date,
                                     on: egov.app.db)
            let recorder = RecordingTransport(failures: 1)
            #expect(try await Outbox.deliverDue(on: egov.app.db, transports: Self.transports(recorder), now: egov.clock.date) == 0)
            let failed = try #require(try await OutboxMessageModel.query(on: egov.app.db).first())
            #expect(failed.status == "pending" && failed.attempts == 1 && failed.lastError?.contains("mail server down") == true)
            // Not before its next attempt time.
            #expect(try await Outbox.deliverDue(on: egov.app.db, transports: Self.transports(recorder), now: egov.clock.date) == 0)
            egov.clock.advance(by: 31)
            #expect(try await Outbox.deliverDue(on: egov.app.db, transports: Self.transports(recorder), now: egov.clock.date) == 1)
            #expect(recorder.sentMails.map(\.subject) == ["Thử"])
        }
    }

    @Test("a dossier past its due date tells the applicant once", arguments: TestDatabase.enabled)
    func lateOnce(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let citizen = try await egov.citizen()
            let code = try await egov.submit(citizen, procedure: DossierLifecycleTests.guardianship, unit: DossierLifecycleTests.benThuy,
                                             attachments: DossierLifecycleTests.guardianshipFiles).content.decode(DossierJSON.self).code
            try await egov.act("motcua.benthuy", code, "receive")
            #expect(try await LateDossiers.notify(services: egov.app.egov, on: egov.app.db) == 0)
            try egov.setVietnamTime(2026, 10, 8, hour: 10) // due Thursday 09:00
            #expect(try await LateDossiers.notify(services: egov.app.egov, on: egov.app.db) == 1)
            #expect(try await LateDossiers.notify(services: egov.app.egov, on: egov.app.db) == 0)
            let late = try await OutboxMessageModel.query(on: egov.app.db).filter(\.$subject == "Hồ sơ \(code) chậm so với ngày hẹn trả kết quả")
                .count()
            #expect(late == 1)
        }
    }
}
