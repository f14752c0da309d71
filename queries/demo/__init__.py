"""Demo data for the dashboard: a realistic, deterministic operational database for any Hunan root.

Entry point: queries.demo.build.build_demo (used by `vetdash build-demo` / `vetdash demo`).

Modules, in build order:
  context        regions of the root, village populations (2020 census per city), the time window
  stories        what a leader should find: weak / late / lagging / slow counties, hot townships,
                 a petition spike, inactive stations
  people         veterans (recent cohorts per county, older stock per village)
  beneficiaries  优抚对象 (veteran-linked categories, 三属, 60+烈士子女, 义务兵家庭)
  network        service centres/stations and their daily records
  standards      benefit standards and their yearly raises; fund_standard ranges
  funds          payments (timing, 调标补发, anomalies), budget
  calibrate      published county figures (Pingjiang 2023) set exactly by scaling that county's amounts
  placement      移交安置 and the yearly task
  employment     自主就业 status history (清零), "311" services, training
  petitions      信访 with deadlines, hot townships and a spike
  columns/dates  column containers and vectorised date keys
  load           bulk loading per dialect (SQLite / PostgreSQL COPY / MariaDB multi-row INSERT)

Everything is vectorised with numpy; loops run over counties, years or chunks only.
"""
