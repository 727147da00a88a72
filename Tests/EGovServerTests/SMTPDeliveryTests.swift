import EGovCore
import EGovPlatform
@testable import EGovServer
import Foundation
import NIOPosix
import Testing
import VaporTesting

@Suite("E-mail through a real SMTP server")
struct SMTPDeliveryTests {
    @Test("e-mails reach a real SMTP server, Vietnamese subject and body intact", .enabled(if: SMTPSink.configured != nil),
          arguments: TestDatabase.enabled)
    func realSMTPServer(database: TestDatabase) async throws {
        let sink = try #require(SMTPSink.configured)
        // A recipient of this run only: the sink keeps the messages of earlier runs too.
        let recipient = "thu-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        try await TestInstallation.with(database, configure: { configuration in
            configuration.mail = MailSettings(smtp: SMTPConfiguration(host: "127.0.0.1", port: sink.port), from: "no-reply@vanan.gov.vn",
                                              fromName: "Cổng dịch vụ công tỉnh Vân An")
        }) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let citizen = try await egov.citizen(email: recipient)
            let code = try await egov.submit(citizen, procedure: DossierLifecycleTests.guardianship, unit: DossierLifecycleTests.benThuy,
                                             attachments: DossierLifecycleTests.guardianshipFiles).content.decode(DossierJSON.self).code
            try await egov.act("motcua.benthuy", code, "receive")
            // The server's own transports: the configured SMTP server for mail, the log for SMS.
            let sent = try await Outbox.deliverDue(on: egov.app.db, transports: egov.app.egov.transports, now: egov.clock.date)
            #expect(sent == 2)
            let mails = try await sink.messages(to: recipient, count: 1)
            let mail = try #require(mails.first)
            #expect(mail.subject == "Hồ sơ \(code) đã được tiếp nhận")
            #expect(mail.body.contains("Kính gửi Ông/Bà Nguyễn Thị Thu Hương,"))
            #expect(mail.body.contains("Ngày hẹn trả kết quả: 09:00 08/10/2026."))
            #expect(mail.raw.contains("Content-Type: text/plain; charset=utf-8"))
        }
    }

    @Test("a mail server that cannot be reached fails the send quickly, with the stage it failed at")
    func unreachable() async throws {
        // Port 9 (discard) is not listening on loopback here; the connection is refused at once.
        let mailer = SMTPMailer(configuration: SMTPConfiguration(host: "127.0.0.1", port: 9, timeout: 5),
                                eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let error = await #expect(throws: SMTPError.self) {
            try await mailer.send(MailMessage(from: "a@example.com", to: ["b@example.com"], subject: "x", body: "y"))
        }
        #expect(error?.stage == "connect")
    }
}
