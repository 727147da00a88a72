@testable import Documents
import EGovCore
import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing
import VaporTesting

/// Issue 14 §1: after assignment, the lead handler forwards the document to another handler of the unit; watchers
/// named at assignment follow it without handling it.
@Suite("Documents: forwarding and watchers")
struct DocumentHandlingTests {
    @Test("the leader assigns with a watcher, who reads it but may not act; the lead handler forwards it with a reason to another specialist, who now holds it; the sender sees 05",
          arguments: TestDatabase.enabled)
    func forwardAndWatch(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let call = { (method: HTTPMethod, path: String, user: String, json: String?) in
                try await DocumentRecallTests.call(egov, method, path, as: user, json: json)
            }
            // A second specialist in Sở Tư pháp's division, to forward to.
            let division = try #require(try await UnitModel.query(on: egov.app.db).filter(\.$code == "001.00.03.H99").first()?.requireID())
            let second = UserModel(username: "chuyenvien2.stp", fullName: "Lê Văn Hai", kind: .officer, email: nil, phone: nil, passwordHash: "x")
            try await second.create(on: egov.app.db)
            try await UserPositionModel(userID: try second.requireID(), unitID: division, position: .specialist).create(on: egov.app.db)

            let sent = try await DocumentRecallTests.issue(egov)
            let incoming = try #require(try await DocumentModel.query(on: egov.app.db).filter(\.$sourceDocumentID == sent).first()?.requireID())
            #expect(try await call(.POST, "/\(incoming)/actions/register", "vanthu.stp", "{}").status == .ok)
            // Watchers go with assign or forward only, and must be officers.
            #expect(try await call(.POST, "/\(incoming)/actions/register", "vanthu.stp", #"{"watchers":["lanhdao.snv"]}"#).status == .badRequest)
            #expect(try await call(.POST, "/\(incoming)/actions/assign", "lanhdao.stp",
                                   #"{"assignees":["chuyenvien.stp"],"watchers":["khong.co"]}"#).status == .badRequest)
            let assigned = try await call(.POST, "/\(incoming)/actions/assign", "lanhdao.stp",
                                          #"{"note":"Đề nghị tham mưu.","assignees":["chuyenvien.stp"],"watchers":["truongphong.stp"]}"#)
            #expect(assigned.status == .ok, "\(assigned.body.string)")
            // The watcher reads it, and may do nothing with it.
            #expect(try await call(.GET, "/\(incoming)", "truongphong.stp", nil).status == .ok)
            #expect(try await call(.GET, "/\(incoming)/actions", "truongphong.stp", nil).content.decode(DocumentsTests.Items<DocumentsTests.Action>.self).items.isEmpty)
            let roles = try await ParticipantModel.query(on: egov.app.db).filter(\.$documentID == incoming).all().map(\.role)
            #expect(roles == ["watcher"])

            // Forwarding needs the handler it goes to, and a reason; it goes to a specialist of the unit only.
            let offered = try await call(.GET, "/\(incoming)/actions", "chuyenvien.stp", nil).content.decode(DocumentsTests.Items<DocumentsTests.Action>.self)
            #expect(offered.items.map(\.id) == ["report", "forward", "complete"])
            #expect(try await call(.POST, "/\(incoming)/actions/forward", "chuyenvien.stp", #"{"note":"Chuyển."}"#).status == .badRequest)
            #expect(try await call(.POST, "/\(incoming)/actions/forward", "chuyenvien.stp", #"{"assignees":["chuyenvien2.stp"]}"#).status == .badRequest)
            #expect(try await call(.POST, "/\(incoming)/actions/forward", "chuyenvien.stp",
                                   #"{"note":"Chuyển.","assignees":["lanhdao.stp"]}"#).status == .badRequest)
            let before = try #require(try await DocumentModel.find(incoming, on: egov.app.db))
            let forwarded = try await call(.POST, "/\(incoming)/actions/forward", "chuyenvien.stp",
                                           #"{"note":"Chuyển đồng chí Hai, phụ trách lĩnh vực này.","assignees":["chuyenvien2.stp"]}"#)
            #expect(forwarded.status == .ok, "\(forwarded.body.string)")
            let after = try #require(try await DocumentModel.find(incoming, on: egov.app.db))
            #expect(after.stepID == "handling" && after.assigneeID == second.id && after.assigneeName == "Lê Văn Hai")
            #expect(after.dueAt == before.dueAt)
            // The one before no longer holds it, but still follows it.
            #expect(try await call(.POST, "/\(incoming)/actions/complete", "chuyenvien.stp", #"{"note":"Xong."}"#).status == .forbidden)
            #expect(try await call(.GET, "/\(incoming)", "chuyenvien.stp", nil).status == .ok)
            let sender = try await call(.GET, "/\(sent)", "chuyenvien.snv", nil).content.decode(DocumentsTests.Document.self)
            #expect(sender.recipients.map(\.statusCode) == ["05"])

            // The document names its watcher, for the API and on its page.
            struct Followed: Decodable {
                struct Participant: Decodable, Equatable { let username, name, role: String }
                let participants: [Participant]
            }
            let followed = try await call(.GET, "/\(incoming)", "chuyenvien.stp", nil).content.decode(Followed.self)
            let watcher = try #require(try await UserModel.query(on: egov.app.db).filter(\.$username == "truongphong.stp").first())
            #expect(followed.participants == [.init(username: "truongphong.stp", name: watcher.fullName, role: "watcher")])
            let browser = egov.browser()
            #expect(try await browser.signIn("chuyenvien.stp").status == .seeOther)
            let page = try await browser.get("/van-ban/\(incoming)").body.string
            #expect(page.contains(#"<span id="watchers">\#(watcher.fullName)</span>"#))
            #expect(page.contains(#"<span id="co-handlers">—</span>"#))
        }
    }
}
