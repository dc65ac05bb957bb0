from readiness.cli.app import main

raise SystemExit(main())
