"""A database of the schema before integer keys (zhmine up to issue 19), as `zhmine run` made it:
text keys (the sha256, '<16 hex>:f0'), figures a table with copies of its sentence, and a trigram
index kept by triggers. Made by that version's store.save from test_store.result(): a document with
two figures (the second outside any sentence, as a table cell's), a date and a place, and a second
document. The statements are the ones its sqlite_master held."""
import sqlite3

# one statement a line (the whitespace of sqlite_master's text folded)
SCHEMA = [
    'CREATE TABLE "documents" ( "id" TEXT PRIMARY KEY, "path" TEXT, "name" TEXT, "sha256" TEXT, "encoding" TEXT, "kind" TEXT, "pages" INTEGER, "chars" INTEGER, "doc_date" TEXT, "doc_date_source" TEXT, "default_region" TEXT, "region_source" TEXT, "title" TEXT, "source" TEXT, "issuer" TEXT, "extractor_version" TEXT, "warnings" TEXT, "extracted_at" TEXT )',
    'CREATE TABLE "articles" ( "id" TEXT PRIMARY KEY, "document_id" TEXT REFERENCES "documents"("id"), "n" INTEGER, "title" TEXT, "region" TEXT, "page" INTEGER, "start" INTEGER, "end" INTEGER )',
    'CREATE TABLE "sentences" ( "id" TEXT PRIMARY KEY, "document_id" TEXT REFERENCES "documents"("id"), "article_id" TEXT REFERENCES "articles"("id"), "n" INTEGER, "page" INTEGER, "start" INTEGER, "end" INTEGER, "text" TEXT )',
    'CREATE TABLE "figures" ( "id" TEXT PRIMARY KEY, "document_id" TEXT REFERENCES "documents"("id"), "article_id" TEXT, "sentence_id" TEXT REFERENCES "sentences"("id"), "page" INTEGER, "start" INTEGER, "end" INTEGER, "surface" TEXT, "document" TEXT, "article_title" TEXT, "sentence" TEXT, "value" REAL, "value_max" REAL, "unit" TEXT, "kind" TEXT, "approx" TEXT, "per" TEXT, "optional" INTEGER, "region" TEXT, "region_code" TEXT, "province" TEXT, "prefecture" TEXT, "county" TEXT, "township" TEXT, "year" INTEGER, "metric" TEXT, "category" TEXT, "cumulative" INTEGER, "region_source" TEXT, "direction" TEXT, "status" TEXT, "period" TEXT, "measure" TEXT, "indicator" TEXT, "table" INTEGER, "row" INTEGER, "column" INTEGER, "text_source" TEXT )',
    'CREATE TABLE "dates" ( "id" TEXT PRIMARY KEY, "document_id" TEXT REFERENCES "documents"("id"), "article_id" TEXT, "sentence_id" TEXT, "page" INTEGER, "start" INTEGER, "end" INTEGER, "surface" TEXT, "value" TEXT, "relative" INTEGER )',
    'CREATE TABLE "places" ( "id" TEXT PRIMARY KEY, "document_id" TEXT REFERENCES "documents"("id"), "article_id" TEXT, "sentence_id" TEXT, "page" INTEGER, "start" INTEGER, "end" INTEGER, "surface" TEXT, "path" TEXT, "code" TEXT, "level" TEXT )',
    'CREATE TABLE "errors" ( "id" INTEGER PRIMARY KEY, "path" TEXT, "sha256" TEXT, "reason" TEXT, "at" TEXT, "run_id" INTEGER, "resolved" INTEGER )',
    'CREATE INDEX "idx_figures_document_id" ON "figures" ("document_id")',
    'CREATE INDEX "idx_dates_document_id" ON "dates" ("document_id")',
    'CREATE INDEX "idx_places_document_id" ON "places" ("document_id")',
    'CREATE INDEX "idx_sentences_document_id" ON "sentences" ("document_id")',
    'CREATE INDEX "idx_articles_document_id" ON "articles" ("document_id")',
    'CREATE INDEX "idx_figures_region_code" ON "figures" ("region_code")',
    'CREATE INDEX "idx_figures_year" ON "figures" ("year")',
    'CREATE INDEX "idx_figures_category" ON "figures" ("category")',
    'CREATE INDEX "idx_figures_unit" ON "figures" ("unit")',
    'CREATE INDEX "idx_figures_province_prefecture_county" ON "figures" ("province", "prefecture", "county")',
    'CREATE VIRTUAL TABLE "sentences_fts" USING FTS5 ( "text", tokenize=\'trigram\', content="sentences" )',
    'CREATE TABLE "runs" ( "id" INTEGER PRIMARY KEY, "started_at" TEXT, "finished_at" TEXT, "extractor_version" TEXT, "command" TEXT, "documents" INTEGER, "skipped" INTEGER, "errors" INTEGER, "status" TEXT )',
    'CREATE TABLE "meta" ( "key" TEXT PRIMARY KEY, "value" TEXT )',
    'CREATE INDEX "idx_errors_path" ON "errors" ("path")',
    'CREATE INDEX "idx_errors_sha256" ON "errors" ("sha256")',
    'CREATE VIEW current_errors as select * from errors where coalesce(resolved, 0) = 0 order by id',
    "CREATE TRIGGER [sentences_ad] after delete on [sentences] begin insert into [sentences_fts] ([sentences_fts], rowid, [text]) select 'delete', old.rowid, old.[text] where old.rowid <= (select cast(value as integer) from meta where key = 'sentences_fts_rowid'); update meta set value = (select coalesce(max(rowid), 0) from [sentences]) where key = 'sentences_fts_rowid' and cast(value as integer) > (select coalesce(max(rowid), 0) from [sentences]); end",
    "CREATE TRIGGER [sentences_au] after update on [sentences] begin insert into [sentences_fts] ([sentences_fts], rowid, [text]) select 'delete', old.rowid, old.[text] where old.rowid <= (select cast(value as integer) from meta where key = 'sentences_fts_rowid'); insert into [sentences_fts] (rowid, [text]) select new.rowid, new.[text] where new.rowid <= (select cast(value as integer) from meta where key = 'sentences_fts_rowid'); end",
]

ROWS = [
    'INSERT INTO "articles" VALUES(\'aaaaaaaaaaaaaaaa:a0\',\'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\',0,NULL,NULL,NULL,0,36);',
    'INSERT INTO "articles" VALUES(\'bbbbbbbbbbbbbbbb:a0\',\'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\',0,NULL,NULL,NULL,0,36);',
    'INSERT INTO "dates" VALUES(\'aaaaaaaaaaaaaaaa:d0\',\'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\',\'aaaaaaaaaaaaaaaa:a0\',\'aaaaaaaaaaaaaaaa:s0\',NULL,0,5,\'2023年\',\'2023\',0);',
    'INSERT INTO "dates" VALUES(\'bbbbbbbbbbbbbbbb:d0\',\'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\',\'bbbbbbbbbbbbbbbb:a0\',\'bbbbbbbbbbbbbbbb:s0\',NULL,0,5,\'2023年\',\'2023\',0);',
    'INSERT INTO "documents" VALUES(\'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\',\'docs/r1.txt\',\'r1.txt\',\'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\',\'utf-8\',\'txt\',0,36,\'2024-01-10\',\'text\',\'福建省/南平市\',NULL,NULL,NULL,NULL,\'0.1.0+3e71f058db6c\',NULL,\'2026-12-06T03:17:23+00:00\');',
    'INSERT INTO "documents" VALUES(\'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\',\'docs/r2.txt\',\'r2.txt\',\'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\',\'utf-8\',\'txt\',0,36,\'2024-01-10\',\'text\',\'福建省/南平市\',NULL,NULL,NULL,NULL,\'0.1.0+3e71f058db6c\',NULL,\'2026-12-06T03:17:23+00:00\');',
    'INSERT INTO "figures" VALUES(\'aaaaaaaaaaaaaaaa:f0\',\'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\',\'aaaaaaaaaaaaaaaa:a0\',\'aaaaaaaaaaaaaaaa:s0\',NULL,15,24,\'185.41万元\',\'r1.txt\',NULL,\'2023年，全县共投入帮扶资金185.41万元，慰问困难家庭4592户。\',1854100.0,NULL,\'元\',\'money\',NULL,NULL,0,\'福建省/南平市/浦城县\',\'350722\',\'福建省\',\'南平市\',\'浦城县\',NULL,2023,\'投入帮扶资金\',NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);',
    'INSERT INTO "figures" VALUES(\'aaaaaaaaaaaaaaaa:f1\',\'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\',\'aaaaaaaaaaaaaaaa:a0\',NULL,NULL,30,24,\'185.41万元\',\'r1.txt\',NULL,\'2023年，全县共投入帮扶资金185.41万元，慰问困难家庭4592户。\',1854100.0,NULL,\'元\',\'money\',NULL,NULL,0,\'福建省/南平市/浦城县\',\'350722\',\'福建省\',\'南平市\',\'浦城县\',NULL,2023,\'投入帮扶资金\',NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);',
    'INSERT INTO "figures" VALUES(\'bbbbbbbbbbbbbbbb:f0\',\'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\',\'bbbbbbbbbbbbbbbb:a0\',\'bbbbbbbbbbbbbbbb:s0\',NULL,15,24,\'185.41万元\',\'r2.txt\',NULL,\'2023年，全县共投入帮扶资金185.41万元，慰问困难家庭4592户。\',1854100.0,NULL,\'元\',\'money\',NULL,NULL,0,\'福建省/南平市/浦城县\',\'350722\',\'福建省\',\'南平市\',\'浦城县\',NULL,2023,\'投入帮扶资金\',NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);',
    'INSERT INTO "meta" VALUES(\'sentences_fts_rowid\',\'2\');',
    'INSERT INTO "places" VALUES(\'aaaaaaaaaaaaaaaa:p0\',\'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\',\'aaaaaaaaaaaaaaaa:a0\',\'aaaaaaaaaaaaaaaa:s0\',NULL,8,10,\'全县\',\'福建省/南平市/浦城县\',\'350722\',\'county\');',
    'INSERT INTO "runs" VALUES(1,\'2026-12-06T03:17:22+00:00\',\'2026-12-06T03:17:23+00:00\',\'0.1.0+3e71f058db6c\',\'zhmine run docs\',2,0,0,\'ok\');',
    'INSERT INTO "sentences" VALUES(\'aaaaaaaaaaaaaaaa:s0\',\'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\',\'aaaaaaaaaaaaaaaa:a0\',0,NULL,0,36,\'2023年，全县共投入帮扶资金185.41万元，慰问困难家庭4592户。\');',
    'INSERT INTO "sentences" VALUES(\'bbbbbbbbbbbbbbbb:s0\',\'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\',\'bbbbbbbbbbbbbbbb:a0\',0,NULL,0,36,\'2023年，全县共投入帮扶资金185.41万元，慰问困难家庭4592户。\');',
]

def make(path) -> None:
    con = sqlite3.connect(path)
    for statement in SCHEMA + ROWS:
        con.execute(statement)
    con.execute("insert into sentences_fts (sentences_fts) values ('rebuild')")
    con.commit()
    con.close()
