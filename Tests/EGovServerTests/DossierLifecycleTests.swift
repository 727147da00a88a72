import EGovCore
import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
@testable import PublicServices
import Testing
import VaporTesting

@Suite("Dossier lifecycle over the API")
struct DossierLifecycleTests {
    /// Đăng ký giám hộ: commune-only, 3 working days, no fee.
    static let guardianship = "1.004837"
    static let benThuy = "000.00.31.H99"
    static let guardianshipFiles = [("van-ban-cu-giam-ho", "van-ban-cu.pdf", SampleFiles.pdf)]

    @Test("a citizen submits online; the commune receives; the due date skips the 24 November holiday", arguments: TestDatabase.enabled)
    func submitAndReceive(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 11, 23, hour: 9) // Monday
            let citizen = try await egov.citizen()
            let created = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy, attachments: Self.guardianshipFiles)
            #expect(created.status == .created, "\(created.body.string)")
            let submitted = try created.content.decode(DossierJSON.self)
            #expect(submitted.code == "000.00.31.H99-261123-0001")
            #expect(submitted.status == "submitted" && submitted.dueAt == nil && submitted.receivedAt == nil)
            // The contract's fields are there even before they have a value.
            #expect(created.body.string.contains(#""dueAt":null"#) && created.body.string.contains(#""receivedAt":null"#))
            #expect(submitted.channel == "online" && !submitted.interLevel)
            // "Only once": the applicant's details come from the account.
            #expect(submitted.applicant.fullName == "Nguyễn Thị Thu Hương" && submitted.applicant.idNumber == TestInstallation.citizenID)
            #expect(submitted.files.map(\.componentId) == ["van-ban-cu-giam-ho"])

            let officer = "motcua.benthuy"
            let queue = try await egov.get("/api/v1/queue", as: officer).content.decode(PageJSON<SummaryJSON>.self)
            #expect(queue.items.map(\.code) == [submitted.code])
            let actions = try await egov.get("/api/v1/dossiers/\(submitted.code)/actions", as: officer).body.string
            #expect(actions.contains(#""id":"receive""#) && actions.contains(#""id":"request-supplement""#))

            try egov.setVietnamTime(2026, 11, 23, hour: 10)
            let received = try await egov.act(officer, submitted.code, "receive").content.decode(DossierJSON.self)
            #expect(received.status == "processing")
            #expect(received.receivedAt == TestInstallation.vietnamTime(2026, 11, 23, hour: 10))
            // Mon 10:00 + 3 working days, Tuesday 24 November being a holiday: Friday 27 November 10:00.
            #expect(received.dueAt == TestInstallation.vietnamTime(2026, 11, 27, hour: 10))
            #expect(received.deadline == "on-time")
            #expect(received.history.map(\.action) == ["submit", "receive"])

            // Public tracking: status and due date, no personal data.
            let tracking = try await egov.send(.GET, "/api/v1/public/dossiers/\(submitted.code)")
            #expect(tracking.status == .ok)
            #expect(tracking.body.string.contains(#""status":"processing""#))
            #expect(!tracking.body.string.contains("Hương") && !tracking.body.string.contains(TestInstallation.citizenID))
            for field in ["code", "status", "statusName", "dueAt", "currentStep"] {
                #expect(tracking.body.string.contains(#""\#(field)":"#), "public tracking lacks \(field)")
            }
            let unknown = try await egov.send(.GET, "/api/v1/public/dossiers/000.00.31.H99-261123-9999")
            #expect(unknown.status == .notFound && unknown.body.string.contains("Không tìm thấy hồ sơ"))
        }
    }

    @Test("a Thursday reception with 3 working days is due on Tuesday: the weekend does not count", arguments: TestDatabase.enabled)
    func weekendSkipped(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 1, hour: 14) // Thursday
            let citizen = try await egov.citizen()
            let code = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy, attachments: Self.guardianshipFiles)
                .content.decode(DossierJSON.self).code
            let received = try await egov.act("motcua.benthuy", code, "receive").content.decode(DossierJSON.self)
            #expect(received.dueAt == TestInstallation.vietnamTime(2026, 10, 6, hour: 14))
        }
    }

    @Test("the whole process via the Service Centre: assignment, a supplement that pauses the clock, result, on time",
          arguments: TestDatabase.enabled)
    func supplementPausesTheClock(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            // Đăng ký nội quy lao động: received at the province's Service Centre, decided by 000.00.01.H99, 7 working days.
            try egov.setVietnamTime(2026, 10, 5, hour: 9) // Monday
            let citizen = try await egov.citizen()
            let created = try await egov.submit(citizen, procedure: "2.001955", unit: "000.00.01.H99",
                                                attachments: [("noi-quy", "noi-quy.pdf", SampleFiles.pdf)])
            #expect(created.status == .created, "\(created.body.string)")
            let code = try created.content.decode(DossierJSON.self).code
            #expect(code.hasPrefix("000.00.20.H99-261005-"))

            let counter = "motcua.quay1"
            let leader = "lanhdao.snv"
            let specialist = "chuyenvien.snv"
            let received = try await egov.act(counter, code, "receive").content.decode(DossierJSON.self)
            // Mon 5 Oct 09:00 + 7 working days → Wed 14 Oct 09:00.
            #expect(received.dueAt == TestInstallation.vietnamTime(2026, 10, 14, hour: 9))
            #expect(received.status == "received" && received.currentStep.id == "assignment")

            try egov.setVietnamTime(2026, 10, 5, hour: 11)
            let assigned = try await egov.act(leader, code, "assign", assignee: "chuyenvien.snv").content.decode(DossierJSON.self)
            #expect(assigned.currentStep.assignee == "Vũ Thị Hồng Nhung")

            // The specialist asks for a supplement on Tuesday 09:00: 6 working days are left.
            try egov.setVietnamTime(2026, 10, 6, hour: 9)
            let missing = try await egov.act(specialist, code, "request-supplement", note: "Bổ sung văn bản góp ý của công đoàn cơ sở.")
                .content.decode(DossierJSON.self)
            #expect(missing.status == "waiting-supplement" && missing.deadline == "paused")
            let citizenView = try await egov.dossier(citizen, code)
            #expect(citizenView.history.last?.note == "Bổ sung văn bản góp ý của công đoàn cơ sở.")

            // A week goes by: the dossier is not late, the clock is not running.
            try egov.setVietnamTime(2026, 10, 13, hour: 9)
            let waiting = try await egov.dossier(citizen, code)
            #expect(waiting.deadline == "paused")
            let supplemented = try await egov.act(citizen, code, "supplement", note: "Đã bổ sung",
                                                  attachments: [("gop-y-cong-doan", "gop-y.pdf", SampleFiles.pdf("góp ý"))])
                .content.decode(DossierJSON.self)
            #expect(supplemented.status == "processing" && supplemented.currentStep.id == "processing")
            #expect(supplemented.currentStep.assignee == "Vũ Thị Hồng Nhung")
            // Resumed Tuesday 13 Oct 09:00 with 6 working days left → Wednesday 21 Oct 09:00.
            #expect(supplemented.dueAt == TestInstallation.vietnamTime(2026, 10, 21, hour: 9))
            #expect(supplemented.files.contains { $0.componentId == "gop-y-cong-doan" })

            try await egov.act(specialist, code, "process")
            let approved = try await egov.approve(leader, code, result: "ket-qua.pdf").content.decode(DossierJSON.self)
            #expect(approved.status == "result-ready")
            #expect(approved.files.contains { $0.kind == "result" && $0.name == "ket-qua.pdf" })
            let done = try await egov.act(counter, code, "return-result").content.decode(DossierJSON.self)
            #expect(done.status == "done" && done.deadline == "finished-on-time" && done.finishedAt != nil)
            #expect(done.history.map(\.action) == ["submit", "receive", "assign", "request-supplement", "supplement", "process", "approve",
                                                   "return-result"])
            let tracking = try await egov.send(.GET, "/api/v1/public/dossiers/\(code)")
            #expect(tracking.body.string.contains(#""status":"done""#))

            // The result is in the citizen's e-data store, to be offered again.
            let store = try await egov.get("/api/v1/me/files?kind=result", as: citizen).body.string
            #expect(store.contains("ket-qua.pdf"))
        }
    }

    @Test("late and at-risk dossiers show on the unit's lists for its leader", arguments: TestDatabase.enabled)
    func lateAndAtRisk(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9) // Monday
            let citizen = try await egov.citizen()
            let officer = "motcua.benthuy"
            var codes: [String] = []
            for _ in 0..<2 {
                let code = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy, attachments: Self.guardianshipFiles)
                    .content.decode(DossierJSON.self).code
                try await egov.act(officer, code, "receive")
                codes.append(code)
            }
            // Due Thursday 8 Oct 09:00. Wednesday 10:00: less than one working day left.
            try egov.setVietnamTime(2026, 10, 7, hour: 10)
            let leader = "chutich.benthuy"
            let atRisk = try await egov.get("/api/v1/dossiers?unit=\(Self.benThuy)&deadline=at-risk", as: leader)
                .content.decode(PageJSON<SummaryJSON>.self)
            #expect(Set(atRisk.items.map(\.code)) == Set(codes) && atRisk.items.allSatisfy { $0.deadline == "at-risk" })
            let lateBefore = try await egov.get("/api/v1/dossiers?unit=\(Self.benThuy)&deadline=late", as: leader)
                .content.decode(PageJSON<SummaryJSON>.self)
            #expect(lateBefore.total == 0)
            // Thursday 10:00: both are late; a third, received now, is on time.
            try egov.setVietnamTime(2026, 10, 8, hour: 10)
            let fresh = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy, attachments: Self.guardianshipFiles)
                .content.decode(DossierJSON.self).code
            try await egov.act(officer, fresh, "receive")
            let late = try await egov.get("/api/v1/dossiers?unit=\(Self.benThuy)&deadline=late", as: leader)
                .content.decode(PageJSON<SummaryJSON>.self)
            #expect(Set(late.items.map(\.code)) == Set(codes) && late.items.allSatisfy { $0.deadline == "late" })
            #expect(try await egov.dossier(leader, codes[0]).deadline == "late")
            #expect(try await egov.dossier(leader, fresh).deadline == "on-time")
            // The specialist's queue: the late ones first.
            let queue = try await egov.get("/api/v1/queue", as: "chuyenvien.benthuy")
                .content.decode(PageJSON<SummaryJSON>.self)
            #expect(queue.items.map(\.code) == codes + [fresh])
        }
    }

    @Test("queues and lists are scoped to the officer's units; another commune gets 403", arguments: TestDatabase.enabled)
    func unitScoping(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let citizen = try await egov.citizen()
            let code = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy, attachments: Self.guardianshipFiles)
                .content.decode(DossierJSON.self).code
            let vanSon = "motcua.vanson"
            let queue = try await egov.get("/api/v1/queue", as: vanSon).content.decode(PageJSON<SummaryJSON>.self)
            #expect(queue.total == 0)
            let read = try await egov.get("/api/v1/dossiers/\(code)", as: vanSon)
            #expect(read.status == .forbidden)
            let list = try await egov.get("/api/v1/dossiers?unit=\(Self.benThuy)", as: vanSon)
            #expect(list.status == .forbidden)
            let own = try await egov.get("/api/v1/dossiers", as: vanSon).content.decode(PageJSON<SummaryJSON>.self)
            #expect(own.total == 0)
            try await egov.act(vanSon, code, "receive", expect: .forbidden)
            // The province's leader sees every commune.
            let province = try await egov.get("/api/v1/dossiers?unit=\(Self.benThuy)", as: "chutich.tinh")
                .content.decode(PageJSON<SummaryJSON>.self)
            #expect(province.items.map(\.code) == [code])
            // Another citizen cannot read it at all.
            let other = try await egov.citizen(idNumber: "079088001234", email: "khac@example.com")
            let hidden = try await egov.get("/api/v1/dossiers/\(code)", as: other)
            #expect(hidden.status == .notFound)
            // Nor act on it: the same 404 as reading, so the code's existence is never told.
            for action in ["withdraw", "supplement", "receive", "no-such-action"] {
                try await egov.act(other, code, action, expect: .notFound)
            }
            let token = try await egov.login(other)
            for path in ["/api/v1/dossiers/\(code)/payments", "/api/v1/dossiers/\(code)/rating"] {
                let response = try await egov.send(.POST, path, token: token, json: #"{"scores":{},"method":"online"}"#)
                #expect(response.status == .notFound, "\(path): \(response.status)")
            }
            let page = egov.browser()
            _ = try await page.signIn(other, password: TestInstallation.citizenPassword)
            #expect(try await page.get("/ho-so/\(code)").status == .notFound)
        }
    }

    @Test("actions the caller may not take are 403, actions not possible now are 409", arguments: TestDatabase.enabled)
    func refusedActions(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let citizen = try await egov.citizen()
            let code = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy, attachments: Self.guardianshipFiles)
                .content.decode(DossierJSON.self).code
            let specialist = "chuyenvien.benthuy"
            let officer = "motcua.benthuy"
            let forbidden = try await egov.act(specialist, code, "receive", expect: .forbidden)
            #expect(forbidden.headers.contentType?.description.contains("problem+json") == true)
            #expect(forbidden.body.string.contains("Bạn không được thực hiện thao tác “receive”"))
            try await egov.act(citizen, code, "approve", expect: .forbidden)
            let notNow = try await egov.act(officer, code, "return-result", expect: .conflict)
            #expect(notNow.body.string.contains("Không thể thực hiện “return-result”"))
            try await egov.act(officer, code, "refuse", expect: .badRequest) // a refusal needs its reason
            try await egov.act(officer, code, "fly", expect: .notFound)
            try await egov.act(officer, code, "receive")
            try await egov.act(officer, code, "receive", expect: .conflict)
            // Assigning somebody who does not hold the next step is refused.
            let wrong = try await egov.act(specialist, code, "process", assignee: "motcua.vanson", expect: .badRequest)
            #expect(wrong.body.string.contains("không thể nhận bước này"))
            // The withdrawn dossier stops its clock and takes no further action.
            try await egov.act(citizen, code, "withdraw")
            let withdrawn = try await egov.dossier(citizen, code)
            #expect(withdrawn.status == "withdrawn" && withdrawn.finishedAt != nil)
            try await egov.act(specialist, code, "process", expect: .conflict)
        }
    }

    @Test("a dossier handed in at the Service Centre's counter for a commune is received there and routed", arguments: TestDatabase.enabled)
    func anyCounter(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let counter = "motcua.quay1"
            let applicant = #"{"fullName":"Trần Văn Bình","idNumber":"079088001234","phone":"0987654321","address":"Phường Bến Thủy"}"#
            let response = try await egov.submit(counter, procedure: Self.guardianship, unit: Self.benThuy, attachments: Self.guardianshipFiles,
                                                 applicant: applicant)
            #expect(response.status == .created, "\(response.body.string)")
            let dossier = try response.content.decode(DossierJSON.self)
            #expect(dossier.code == "000.00.20.H99-261005-0001")
            #expect(dossier.channel == "counter" && dossier.interLevel)
            #expect(dossier.status == "processing" && dossier.receivedAt != nil)
            #expect(dossier.receivingUnitCode == "000.00.20.H99" && dossier.unitCode == Self.benThuy)
            // The commune's specialist has it in the queue; the commune's one-stop officer does not (it is received elsewhere).
            let queue = try await egov.get("/api/v1/queue", as: "chuyenvien.benthuy")
                .content.decode(PageJSON<SummaryJSON>.self)
            #expect(queue.items.map(\.code) == [dossier.code])
            // An officer must give the applicant's identification number.
            let incomplete = try await egov.submit(counter, procedure: Self.guardianship, unit: Self.benThuy, attachments: Self.guardianshipFiles,
                                                   applicant: #"{"fullName":"Trần Văn Bình"}"#)
            #expect(incomplete.status == .badRequest && incomplete.body.string.contains("số định danh cá nhân"))
            // A specialist cannot enter dossiers at a counter.
            let specialist = try await egov.submit("chuyenvien.benthuy", procedure: Self.guardianship, unit: Self.benThuy,
                                                   attachments: Self.guardianshipFiles, applicant: applicant)
            #expect(specialist.status == .forbidden)
        }
    }

    @Test("a submission is answered with what it wrote: the same JSON as reading the dossier back, online and at a counter",
          arguments: TestDatabase.enabled)
    func answeredWithWhatWasWritten(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let citizen = try await egov.citizen()
            let online = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy,
                                               attachments: Self.guardianshipFiles + [("van-ban-cu-giam-ho", "a-truoc.pdf", SampleFiles.pdf("a"))])
            let applicant = #"{"fullName":"Trần Văn Bình","idNumber":"079088001234","phone":"0987654321","address":"Phường Bến Thủy"}"#
            // At the counter the officer receives it at once: two history events in the answer.
            let counter = try await egov.submit("motcua.quay1", procedure: Self.guardianship, unit: Self.benThuy,
                                                attachments: Self.guardianshipFiles, applicant: applicant)
            for (response, reader) in [(online, citizen), (counter, "motcua.quay1")] {
                #expect(response.status == .created, "\(response.body.string)")
                let answered = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? NSDictionary
                let code = try #require(answered?["code"] as? String)
                // MUT's counterpart: the same dossier read back from the database.
                let read = try await egov.get("/api/v1/dossiers/\(code)", as: reader)
                let stored = try JSONSerialization.jsonObject(with: Data(read.body.readableBytesView)) as? NSDictionary
                // validate
                #expect(answered == stored, "\(response.body.string)\n≠\n\(read.body.string)")
                #expect(((answered?["history"] as? [Any])?.count ?? 0) >= 1 && ((answered?["files"] as? [Any])?.count ?? 0) >= 1)
            }
            let counterHistory = try counter.content.decode(DossierJSON.self).history.map(\.action)
            #expect(counterHistory == ["submit", "receive"])
            #expect(try online.content.decode(DossierJSON.self).files.map(\.name) == ["a-truoc.pdf", "van-ban-cu.pdf"])
        }
    }

    @Test("an inter-level dossier is handed in at the chosen commune and decided by the department", arguments: TestDatabase.enabled)
    func interLevel(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let citizen = try await egov.citizen()
            let files = [("giay-chung-nhan", "gcn.pdf", SampleFiles.pdf)]
            let noCommune = try await egov.submit(citizen, procedure: "1.012790", unit: "000.00.05.H99", attachments: files)
            #expect(noCommune.status == .badRequest && noCommune.body.string.contains("receivingUnitCode"))
            let created = try await egov.submit(citizen, procedure: "1.012790", unit: "000.00.05.H99", receivingUnit: Self.benThuy,
                                                attachments: files)
            let dossier = try created.content.decode(DossierJSON.self)
            #expect(dossier.code.hasPrefix("000.00.31.H99-") && dossier.interLevel)
            try await egov.act("motcua.benthuy", dossier.code, "receive")
            try await egov.act("chuyenvien.benthuy", dossier.code, "transfer")
            let moved = try await egov.dossier(citizen, dossier.code)
            #expect(moved.currentStep.id == "assignment")
        }
    }

    @Test("the applicant reuses a paper from the e-data store instead of uploading it again", arguments: TestDatabase.enabled)
    func onlyOnce(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let citizen = try await egov.citizen()
            try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy, attachments: Self.guardianshipFiles)
            struct Stored: Decodable { let id: String; let componentId: String?; let kind: String }
            let store = try await egov.get("/api/v1/me/files", as: citizen).content.decode(PageJSON<Stored>.self)
            let paper = try #require(store.items.first { $0.componentId == "van-ban-cu-giam-ho" })
            #expect(paper.kind == "submitted")
            let body = #"{"procedureCode":"\#(Self.guardianship)","unitCode":"\#(Self.benThuy)","form":{"a":1},"attachments":[{"componentId":"van-ban-cu-giam-ho","storedFileId":"\#(paper.id)"}]}"#
            let second = try await egov.send(.POST, "/api/v1/dossiers", token: try await egov.login(citizen), json: body)
            #expect(second.status == .created, "\(second.body.string)")
            #expect(try second.content.decode(DossierJSON.self).files.map(\.name) == ["van-ban-cu.pdf"])
            // Nobody else can use that file.
            let other = try await egov.citizen(idNumber: "079088001234", email: "khac@example.com")
            let stolen = try await egov.send(.POST, "/api/v1/dossiers", token: try await egov.login(other), json: body)
            #expect(stolen.status == .badRequest && stolen.body.string.contains("kho dữ liệu"))
        }
    }

    @Test("the same paper sent twice in one submission is recorded twice and kept once in the e-data store", arguments: TestDatabase.enabled)
    func samePaperTwice(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let citizen = try await egov.citizen()
            let twice = Self.guardianshipFiles + [("van-ban-cu-giam-ho", "ban-sao.pdf", SampleFiles.pdf)]
            let created = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy, attachments: twice)
            #expect(created.status == .created, "\(created.body.string)")
            let dossier = try created.content.decode(DossierJSON.self)
            #expect(dossier.files.map(\.name) == ["ban-sao.pdf", "van-ban-cu.pdf"])
            struct Stored: Decodable { let name: String; let source: String? }
            let store = try await egov.get("/api/v1/me/files", as: citizen).content.decode(PageJSON<Stored>.self)
            // One row per content: the later of the two names, under the dossier's final code.
            #expect(store.items.count == 1 && store.items.first?.name == "ban-sao.pdf", "\(store.items)")
            #expect(store.items.first?.source == "dossier:\(dossier.code)")
        }
    }

    @Test("a dossier is sent to another unit for its opinion and comes back with the answer", arguments: TestDatabase.enabled)
    func consultation(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let citizen = try await egov.citizen()
            let code = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy, attachments: Self.guardianshipFiles)
                .content.decode(DossierJSON.self).code
            try await egov.act("motcua.benthuy", code, "receive")
            let noUnit = try await egov.act("chuyenvien.benthuy", code, "consult", note: "Xin ý kiến về điều kiện giám hộ", expect: .badRequest)
            #expect(noUnit.body.string.contains("Vui lòng chọn đơn vị được xin ý kiến."))
            let ownUnit = try await egov.send(.POST, "/api/v1/dossiers/\(code)/actions/consult", token: try await egov.login("chuyenvien.benthuy"),
                                              json: #"{"note":"x","unit":"\#(Self.benThuy)"}"#)
            #expect(ownUnit.status == .badRequest)
            let sent = try await egov.send(.POST, "/api/v1/dossiers/\(code)/actions/consult", token: try await egov.login("chuyenvien.benthuy"),
                                           json: #"{"note":"Xin ý kiến về điều kiện giám hộ","unit":"000.00.03.H99"}"#)
            #expect(sent.status == .ok, "\(sent.body.string)")
            let consulted = try sent.content.decode(DossierJSON.self)
            #expect(consulted.currentStep.id == "consultation" && consulted.status == "processing")
            // The consulted unit's specialist has it, reads it and answers; the commune's specialist waits.
            let queue = try await egov.get("/api/v1/queue", as: "chuyenvien.stp").content.decode(PageJSON<SummaryJSON>.self)
            #expect(queue.items.map(\.code) == [code])
            try await egov.act("chuyenvien.benthuy", code, "process", expect: .conflict)
            try await egov.act("chuyenvien.tanlap", code, "answer", note: "?", expect: .forbidden)
            let answered = try await egov.act("chuyenvien.stp", code, "answer", note: "Đủ điều kiện giám hộ theo Bộ luật Dân sự")
                .content.decode(DossierJSON.self)
            #expect(answered.currentStep.id == "processing")
            #expect(answered.history.last?.note == "Đủ điều kiện giám hộ theo Bộ luật Dân sự")
            try await egov.act("chuyenvien.benthuy", code, "process")
        }
    }

    @Test("the applicant chooses how to receive the result; by post needs an address", arguments: TestDatabase.enabled)
    func resultDelivery(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let citizen = try await egov.citizen()
            let file = SampleFiles.pdf.base64EncodedString()
            func body(_ extra: String) -> String {
                #"{"procedureCode":"\#(Self.guardianship)","unitCode":"\#(Self.benThuy)","form":{"a":1},\#(extra)"attachments":[{"componentId":"van-ban-cu-giam-ho","fileName":"v.pdf","contentBase64":"\#(file)"}]}"#
            }
            let token = try await egov.login(citizen)
            let noAddress = try await egov.send(.POST, "/api/v1/dossiers", token: token, json: body(#""resultDelivery":"post","#))
            #expect(noAddress.status == .badRequest && noAddress.body.string.contains("địa chỉ nhận kết quả qua bưu chính"))
            let posted = try await egov.send(.POST, "/api/v1/dossiers", token: token,
                                             json: body(#""resultDelivery":"post","applicant":{"address":"12 Lê Lợi, phường Bến Thủy"},"#))
            #expect(posted.status == .created && posted.body.string.contains(#""resultDelivery":"post""#))
            let online = try await egov.send(.POST, "/api/v1/dossiers", token: token, json: body(""))
            #expect(online.body.string.contains(#""resultDelivery":"online""#))
        }
    }
}

