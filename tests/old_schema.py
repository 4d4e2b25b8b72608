"""A database of the schema before integer keys (zhmine up to issue 19), as `zhmine run` made it:
text keys (the sha256, '<16 hex>:f0'), figures a table with copies of its sentence, and a trigram
index kept by triggers. Made by that version's store.save from test_store.result(): a document with
two figures (the second outside any sentence, as a table cell's), a date and a place, and a second
document. The statements are the ones its sqlite_master held."""
import sqlite3

SCHEMA = ['CREATE TABLE "documents" (\n'
 '   "id" TEXT PRIMARY KEY,\n'
 '   "path" TEXT,\n'
 '   "name" TEXT,\n'
 '   "sha256" TEXT,\n'
 '   "encoding" TEXT,\n'
 '   "kind" TEXT,\n'
 '   "pages" INTEGER,\n'
 '   "chars" INTEGER,\n'
 '   "doc_date" TEXT,\n'
 '   "doc_date_source" TEXT,\n'
 '   "default_region" TEXT,\n'
 '   "region_source" TEXT,\n'
 '   "title" TEXT,\n'
 '   "source" TEXT,\n'
 '   "issuer" TEXT,\n'
 '   "extractor_version" TEXT,\n'
 '   "warnings" TEXT,\n'
 '   "extracted_at" TEXT\n'
 ')',
 'CREATE TABLE "articles" (\n'
 '   "id" TEXT PRIMARY KEY,\n'
 '   "document_id" TEXT REFERENCES "documents"("id"),\n'
 '   "n" INTEGER,\n'
 '   "title" TEXT,\n'
 '   "region" TEXT,\n'
 '   "page" INTEGER,\n'
 '   "start" INTEGER,\n'
 '   "end" INTEGER\n'
 ')',
 'CREATE TABLE "sentences" (\n'
 '   "id" TEXT PRIMARY KEY,\n'
 '   "document_id" TEXT REFERENCES "documents"("id"),\n'
 '   "article_id" TEXT REFERENCES "articles"("id"),\n'
 '   "n" INTEGER,\n'
 '   "page" INTEGER,\n'
 '   "start" INTEGER,\n'
 '   "end" INTEGER,\n'
 '   "text" TEXT\n'
 ')',
 'CREATE TABLE "figures" (\n'
 '   "id" TEXT PRIMARY KEY,\n'
 '   "document_id" TEXT REFERENCES "documents"("id"),\n'
 '   "article_id" TEXT,\n'
 '   "sentence_id" TEXT REFERENCES "sentences"("id"),\n'
 '   "page" INTEGER,\n'
 '   "start" INTEGER,\n'
 '   "end" INTEGER,\n'
 '   "surface" TEXT,\n'
 '   "document" TEXT,\n'
 '   "article_title" TEXT,\n'
 '   "sentence" TEXT,\n'
 '   "value" REAL,\n'
 '   "value_max" REAL,\n'
 '   "unit" TEXT,\n'
 '   "kind" TEXT,\n'
 '   "approx" TEXT,\n'
 '   "per" TEXT,\n'
 '   "optional" INTEGER,\n'
 '   "region" TEXT,\n'
 '   "region_code" TEXT,\n'
 '   "province" TEXT,\n'
 '   "prefecture" TEXT,\n'
 '   "county" TEXT,\n'
 '   "township" TEXT,\n'
 '   "year" INTEGER,\n'
 '   "metric" TEXT,\n'
 '   "category" TEXT,\n'
 '   "cumulative" INTEGER,\n'
 '   "region_source" TEXT,\n'
 '   "direction" TEXT,\n'
 '   "status" TEXT,\n'
 '   "period" TEXT,\n'
 '   "measure" TEXT,\n'
 '   "indicator" TEXT,\n'
 '   "table" INTEGER,\n'
 '   "row" INTEGER,\n'
 '   "column" INTEGER,\n'
 '   "text_source" TEXT\n'
 ')',
 'CREATE TABLE "dates" (\n'
 '   "id" TEXT PRIMARY KEY,\n'
 '   "document_id" TEXT REFERENCES "documents"("id"),\n'
 '   "article_id" TEXT,\n'
 '   "sentence_id" TEXT,\n'
 '   "page" INTEGER,\n'
 '   "start" INTEGER,\n'
 '   "end" INTEGER,\n'
 '   "surface" TEXT,\n'
 '   "value" TEXT,\n'
 '   "relative" INTEGER\n'
 ')',
 'CREATE TABLE "places" (\n'
 '   "id" TEXT PRIMARY KEY,\n'
 '   "document_id" TEXT REFERENCES "documents"("id"),\n'
 '   "article_id" TEXT,\n'
 '   "sentence_id" TEXT,\n'
 '   "page" INTEGER,\n'
 '   "start" INTEGER,\n'
 '   "end" INTEGER,\n'
 '   "surface" TEXT,\n'
 '   "path" TEXT,\n'
 '   "code" TEXT,\n'
 '   "level" TEXT\n'
 ')',
 'CREATE TABLE "errors" (\n'
 '   "id" INTEGER PRIMARY KEY,\n'
 '   "path" TEXT,\n'
 '   "sha256" TEXT,\n'
 '   "reason" TEXT,\n'
 '   "at" TEXT,\n'
 '   "run_id" INTEGER,\n'
 '   "resolved" INTEGER\n'
 ')',
 'CREATE INDEX "idx_figures_document_id"\n    ON "figures" ("document_id")',
 'CREATE INDEX "idx_dates_document_id"\n    ON "dates" ("document_id")',
 'CREATE INDEX "idx_places_document_id"\n    ON "places" ("document_id")',
 'CREATE INDEX "idx_sentences_document_id"\n    ON "sentences" ("document_id")',
 'CREATE INDEX "idx_articles_document_id"\n    ON "articles" ("document_id")',
 'CREATE INDEX "idx_figures_region_code"\n    ON "figures" ("region_code")',
 'CREATE INDEX "idx_figures_year"\n    ON "figures" ("year")',
 'CREATE INDEX "idx_figures_category"\n    ON "figures" ("category")',
 'CREATE INDEX "idx_figures_unit"\n    ON "figures" ("unit")',
 'CREATE INDEX "idx_figures_province_prefecture_county"\n'
 '    ON "figures" ("province", "prefecture", "county")',
 'CREATE VIRTUAL TABLE "sentences_fts" USING FTS5 (\n'
 '    "text",\n'
 "    tokenize='trigram',\n"
 '    content="sentences"\n'
 ')',
 'CREATE TABLE "runs" (\n'
 '   "id" INTEGER PRIMARY KEY,\n'
 '   "started_at" TEXT,\n'
 '   "finished_at" TEXT,\n'
 '   "extractor_version" TEXT,\n'
 '   "command" TEXT,\n'
 '   "documents" INTEGER,\n'
 '   "skipped" INTEGER,\n'
 '   "errors" INTEGER,\n'
 '   "status" TEXT\n'
 ')',
 'CREATE TABLE "meta" (\n   "key" TEXT PRIMARY KEY,\n   "value" TEXT\n)',
 'CREATE INDEX "idx_errors_path"\n    ON "errors" ("path")',
 'CREATE INDEX "idx_errors_sha256"\n    ON "errors" ("sha256")',
 'CREATE VIEW current_errors as select * from errors where coalesce(resolved, 0) = 0 order by id',
 'CREATE TRIGGER [sentences_ad] after delete on [sentences] begin\n'
 '            insert into [sentences_fts] ([sentences_fts], rowid, [text])\n'
 "                select 'delete', old.rowid, old.[text] where old.rowid <= (select cast(value as integer) "
 "from meta where key = 'sentences_fts_rowid');\n"
 '            update meta set value = (select coalesce(max(rowid), 0) from [sentences]) where key = '
 "'sentences_fts_rowid' and cast(value as integer) > (select coalesce(max(rowid), 0) from [sentences]);\n"
 '        end',
 'CREATE TRIGGER [sentences_au] after update on [sentences] begin\n'
 '            insert into [sentences_fts] ([sentences_fts], rowid, [text])\n'
 "                select 'delete', old.rowid, old.[text] where old.rowid <= (select cast(value as integer) "
 "from meta where key = 'sentences_fts_rowid');\n"
 '            insert into [sentences_fts] (rowid, [text]) select new.rowid, new.[text] where new.rowid <= '
 "(select cast(value as integer) from meta where key = 'sentences_fts_rowid');\n"
 '        end']

ROWS = ['INSERT INTO "articles" '
 "VALUES('aaaaaaaaaaaaaaaa:a0','aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',0,NULL,NULL,NULL,0,36);",
 'INSERT INTO "articles" '
 "VALUES('bbbbbbbbbbbbbbbb:a0','bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',0,NULL,NULL,NULL,0,36);",
 'INSERT INTO "dates" '
 "VALUES('aaaaaaaaaaaaaaaa:d0','aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa','aaaaaaaaaaaaaaaa:a0','aaaaaaaaaaaaaaaa:s0',NULL,0,5,'2023年','2023',0);",
 'INSERT INTO "dates" '
 "VALUES('bbbbbbbbbbbbbbbb:d0','bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb','bbbbbbbbbbbbbbbb:a0','bbbbbbbbbbbbbbbb:s0',NULL,0,5,'2023年','2023',0);",
 'INSERT INTO "documents" '
 "VALUES('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa','docs/r1.txt','r1.txt','aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa','utf-8','txt',0,36,'2024-01-10','text','福建省/南平市',NULL,NULL,NULL,NULL,'0.1.0+3e71f058db6c',NULL,'2026-12-06T03:17:23+00:00');",
 'INSERT INTO "documents" '
 "VALUES('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb','docs/r2.txt','r2.txt','bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb','utf-8','txt',0,36,'2024-01-10','text','福建省/南平市',NULL,NULL,NULL,NULL,'0.1.0+3e71f058db6c',NULL,'2026-12-06T03:17:23+00:00');",
 'INSERT INTO "figures" '
 "VALUES('aaaaaaaaaaaaaaaa:f0','aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa','aaaaaaaaaaaaaaaa:a0','aaaaaaaaaaaaaaaa:s0',NULL,15,24,'185.41万元','r1.txt',NULL,'2023年，全县共投入帮扶资金185.41万元，慰问困难家庭4592户。',1854100.0,NULL,'元','money',NULL,NULL,0,'福建省/南平市/浦城县','350722','福建省','南平市','浦城县',NULL,2023,'投入帮扶资金',NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);",
 'INSERT INTO "figures" '
 "VALUES('aaaaaaaaaaaaaaaa:f1','aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa','aaaaaaaaaaaaaaaa:a0',NULL,NULL,30,24,'185.41万元','r1.txt',NULL,'2023年，全县共投入帮扶资金185.41万元，慰问困难家庭4592户。',1854100.0,NULL,'元','money',NULL,NULL,0,'福建省/南平市/浦城县','350722','福建省','南平市','浦城县',NULL,2023,'投入帮扶资金',NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);",
 'INSERT INTO "figures" '
 "VALUES('bbbbbbbbbbbbbbbb:f0','bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb','bbbbbbbbbbbbbbbb:a0','bbbbbbbbbbbbbbbb:s0',NULL,15,24,'185.41万元','r2.txt',NULL,'2023年，全县共投入帮扶资金185.41万元，慰问困难家庭4592户。',1854100.0,NULL,'元','money',NULL,NULL,0,'福建省/南平市/浦城县','350722','福建省','南平市','浦城县',NULL,2023,'投入帮扶资金',NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);",
 'INSERT INTO "meta" VALUES(\'sentences_fts_rowid\',\'2\');',
 'INSERT INTO "places" '
 "VALUES('aaaaaaaaaaaaaaaa:p0','aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa','aaaaaaaaaaaaaaaa:a0','aaaaaaaaaaaaaaaa:s0',NULL,8,10,'全县','福建省/南平市/浦城县','350722','county');",
 'INSERT INTO "runs" '
 "VALUES(1,'2026-12-06T03:17:22+00:00','2026-12-06T03:17:23+00:00','0.1.0+3e71f058db6c','zhmine run "
 "docs',2,0,0,'ok');",
 'INSERT INTO "sentences" '
 "VALUES('aaaaaaaaaaaaaaaa:s0','aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa','aaaaaaaaaaaaaaaa:a0',0,NULL,0,36,'2023年，全县共投入帮扶资金185.41万元，慰问困难家庭4592户。');",
 'INSERT INTO "sentences" '
 "VALUES('bbbbbbbbbbbbbbbb:s0','bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb','bbbbbbbbbbbbbbbb:a0',0,NULL,0,36,'2023年，全县共投入帮扶资金185.41万元，慰问困难家庭4592户。');"]


def make(path) -> None:
    con = sqlite3.connect(path)
    for statement in SCHEMA + ROWS:
        con.execute(statement)
    con.execute("insert into sentences_fts (sentences_fts) values ('rebuild')")
    con.commit()
    con.close()
