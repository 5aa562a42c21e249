-- CreateTable
CREATE TABLE "LtiPlatform" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "issuer" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "authUrl" TEXT NOT NULL,
    "tokenUrl" TEXT NOT NULL,
    "jwksUrl" TEXT NOT NULL,
    "ownerId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "LtiDeployment" (
    "platformId" TEXT NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("platformId", "deploymentId"),
    CONSTRAINT "LtiDeployment_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "LtiPlatform" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LtiKey" (
    "kid" TEXT NOT NULL PRIMARY KEY,
    "privateJwk" TEXT NOT NULL,
    "publicJwk" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" DATETIME,
    "publishUntil" DATETIME
);

-- CreateTable
CREATE TABLE "LtiLoginState" (
    "state" TEXT NOT NULL PRIMARY KEY,
    "nonce" TEXT NOT NULL,
    "platformId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "continueToken" TEXT,
    CONSTRAINT "LtiLoginState_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "LtiPlatform" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LtiUser" (
    "platformId" TEXT NOT NULL,
    "sub" TEXT NOT NULL,
    "learnerId" TEXT NOT NULL,
    "instructorId" TEXT,
    "name" TEXT,
    "email" TEXT,
    "roles" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("platformId", "sub"),
    CONSTRAINT "LtiUser_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "LtiPlatform" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LtiUser_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "Learner" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LtiContext" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "platformId" TEXT NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "contextId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "cohortId" TEXT NOT NULL,
    "membershipsUrl" TEXT,
    "lineItemsUrl" TEXT,
    "lastRosterSyncAt" DATETIME,
    "rosterError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LtiContext_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "LtiPlatform" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LtiContext_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LtiResourceLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "contextRowId" TEXT NOT NULL,
    "resourceLinkId" TEXT NOT NULL,
    "lessonSlug" TEXT NOT NULL,
    "title" TEXT,
    "lineItemUrl" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LtiResourceLink_contextRowId_fkey" FOREIGN KEY ("contextRowId") REFERENCES "LtiContext" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LtiGradeLink" (
    "learnerId" TEXT NOT NULL,
    "resourceLinkId" TEXT NOT NULL,
    "lessonSlug" TEXT NOT NULL,
    "sub" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("learnerId", "resourceLinkId"),
    CONSTRAINT "LtiGradeLink_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "Learner" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LtiGradeLink_resourceLinkId_fkey" FOREIGN KEY ("resourceLinkId") REFERENCES "LtiResourceLink" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LtiScoreOutbox" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "learnerId" TEXT NOT NULL,
    "resourceLinkId" TEXT NOT NULL,
    "responseId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "sentAt" DATETIME,
    "scoreGiven" REAL,
    "scoreMaximum" REAL,
    CONSTRAINT "LtiScoreOutbox_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "Learner" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LtiScoreOutbox_resourceLinkId_fkey" FOREIGN KEY ("resourceLinkId") REFERENCES "LtiResourceLink" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LtiRegistrationToken" (
    "tokenHash" TEXT NOT NULL PRIMARY KEY,
    "instructorId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME
);

-- CreateTable
CREATE TABLE "LtiAuditLog" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "event" TEXT NOT NULL,
    "issuer" TEXT,
    "detail" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "LtiPlatform_issuer_clientId_key" ON "LtiPlatform"("issuer", "clientId");

-- CreateIndex
CREATE UNIQUE INDEX "LtiLoginState_nonce_key" ON "LtiLoginState"("nonce");

-- CreateIndex
CREATE UNIQUE INDEX "LtiLoginState_continueToken_key" ON "LtiLoginState"("continueToken");

-- CreateIndex
CREATE INDEX "LtiLoginState_expiresAt_idx" ON "LtiLoginState"("expiresAt");

-- CreateIndex
CREATE INDEX "LtiUser_learnerId_idx" ON "LtiUser"("learnerId");

-- CreateIndex
CREATE INDEX "LtiUser_instructorId_idx" ON "LtiUser"("instructorId");

-- CreateIndex
CREATE UNIQUE INDEX "LtiContext_cohortId_key" ON "LtiContext"("cohortId");

-- CreateIndex
CREATE UNIQUE INDEX "LtiContext_platformId_deploymentId_contextId_key" ON "LtiContext"("platformId", "deploymentId", "contextId");

-- CreateIndex
CREATE UNIQUE INDEX "LtiResourceLink_contextRowId_resourceLinkId_key" ON "LtiResourceLink"("contextRowId", "resourceLinkId");

-- CreateIndex
CREATE INDEX "LtiGradeLink_learnerId_lessonSlug_idx" ON "LtiGradeLink"("learnerId", "lessonSlug");

-- CreateIndex
CREATE INDEX "LtiScoreOutbox_status_nextAttemptAt_idx" ON "LtiScoreOutbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "LtiScoreOutbox_learnerId_resourceLinkId_status_idx" ON "LtiScoreOutbox"("learnerId", "resourceLinkId", "status");

-- CreateIndex
CREATE INDEX "LtiScoreOutbox_resourceLinkId_status_idx" ON "LtiScoreOutbox"("resourceLinkId", "status");

-- CreateIndex
CREATE INDEX "LtiAuditLog_at_idx" ON "LtiAuditLog"("at");
