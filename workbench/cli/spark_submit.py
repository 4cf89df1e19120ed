"""The `workbench` command as a script `spark-submit` can run, for a cluster's driver (docs/scale-out.md).

    spark-submit --master yarn "$(python -c 'import workbench.cli.spark_submit as m; print(m.__file__)')" \\
        kpi growth_card --snapshot hdfs://namenode/snapshots/2026-01-10 --engine spark --week 4 --format csv

spark-submit starts the JVM with its master and settings; the Spark engine
then uses that session as it is (workbench.engine.spark.session).
"""

from __future__ import annotations

from workbench.cli import main

if __name__ == "__main__":
    main()
